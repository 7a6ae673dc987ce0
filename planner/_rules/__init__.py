"""The bundled rules; importing this package registers them."""

from planner._rules import (
    auth,
    common,
    crud,
    endpoint,
    endpoint_options,
    endpoint_router,
    pagination,
    resource,
)

__all__ = [
    "auth",
    "common",
    "crud",
    "endpoint",
    "endpoint_options",
    "endpoint_router",
    "pagination",
    "resource",
]
