"""The questionnaire: question sets as data, answers, terminal prompts."""
