"""Reading a project, read-only: files -> facts -> the model plans follow."""
