"""The shop application."""

from fastapi import FastAPI

from app.api.router import api_router
from app.core.config import settings

app = FastAPI(title="Shop")
app.include_router(api_router, prefix=settings.api_prefix)
