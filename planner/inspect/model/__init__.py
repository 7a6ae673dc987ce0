"""The project model: what a FastAPI repository says about itself, read from code."""
