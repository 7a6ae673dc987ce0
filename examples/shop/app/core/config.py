"""Settings read from the environment (SHOP_ prefix)."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_")

    database_url: str = "sqlite:///./shop.db"
    api_prefix: str = "/api/v1"


settings = Settings()
