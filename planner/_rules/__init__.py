"""The bundled rules; importing this package registers them."""

from planner._rules import common, crud, resource

__all__ = ["common", "crud", "resource"]
