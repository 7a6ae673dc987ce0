"""A package that re-exports its modules with `*` still leads to them."""

from __future__ import annotations

from pathlib import Path

from planner.inspect.model import read_project
from tests.trees import write_tree

# Each layer is a package whose `__init__` star-imports its one module; the
# router reaches the service package, the service the models package.
PROJECT = {
    "pyproject.toml": '[project]\nname = "desk"\ndependencies = ["fastapi"]\n',
    "app/__init__.py": "",
    "app/db.py": (
        "from sqlalchemy.orm import DeclarativeBase\n\n\n"
        "class Base(DeclarativeBase):\n    pass\n"
    ),
    "app/ticket/__init__.py": "",
    "app/ticket/models/__init__.py": "from .ticket import *\n",
    "app/ticket/models/ticket.py": (
        "from sqlalchemy.orm import Mapped, mapped_column\n\n"
        "from app.db import Base\n\n\n"
        "class Ticket(Base):\n"
        '    __tablename__ = "tickets"\n'
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
    ),
    "app/ticket/services/__init__.py": "from .ticket import *\n",
    "app/ticket/services/ticket.py": (
        "from app.ticket.models import Ticket\n\n\n"
        "class TicketService:\n"
        "    def list(self) -> list[Ticket]:\n        return []\n"
    ),
    "api/__init__.py": "",
    "api/ticket.py": (
        "from fastapi import APIRouter\n\n"
        "from app.ticket.services import TicketService\n\n"
        'router = APIRouter(prefix="/tickets")\n\n\n'
        '@router.get("")\ndef tickets() -> list[dict[str, int]]:\n'
        "    return []\n\n\n"
        '@router.get("/{ticket_id}")\ndef ticket(ticket_id: int) -> dict[str, int]:\n'
        "    TicketService()\n    return {}\n"
    ),
    "main.py": (
        "from fastapi import FastAPI\n\nfrom api import ticket\n\n"
        "app = FastAPI()\napp.include_router(ticket.router)\n"
    ),
}


def test_star_exported_modules_are_the_resources_files(tmp_path: Path) -> None:
    write_tree(tmp_path, PROJECT)
    model = read_project(tmp_path, cache=False)
    (tickets,) = model.resources
    files = {f.path: f.role for f in tickets.files}
    assert files["app/ticket/services/ticket.py"] == "service"
    assert files["app/ticket/models/ticket.py"] == "model"
