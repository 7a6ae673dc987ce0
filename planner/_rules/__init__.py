"""The bundled rules; importing this package registers them."""

from planner._rules import common, crud, endpoint, endpoint_options, resource

__all__ = ["common", "crud", "endpoint", "endpoint_options", "resource"]
