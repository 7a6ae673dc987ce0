"""Dependencies the routers share."""

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from app.core.db import get_session
from app.core.security import get_current_user
from app.models.customer import Customer

SessionDep = Annotated[Session, Depends(get_session)]
CurrentUser = Annotated[Customer, Depends(get_current_user)]
