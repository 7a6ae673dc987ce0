"""The project model: what a FastAPI repository says about itself, read from code."""

from .analogy import new_resource_targets
from .auth import auth_targets
from .endpoints import new_endpoint_targets, new_list_targets, path_groups
from .existing import existing_resource_targets, find_resource, paged_route
from .project import read_project
from .records import (
    App,
    Endpoint,
    MigrationTree,
    ProjectModel,
    Registry,
    Resource,
    ResourceFile,
    Route,
    RouterModule,
    Target,
    Targets,
    Unparsed,
    Vote,
)

__all__ = [
    "App",
    "Endpoint",
    "MigrationTree",
    "ProjectModel",
    "Registry",
    "Resource",
    "ResourceFile",
    "Route",
    "RouterModule",
    "Target",
    "Targets",
    "Unparsed",
    "Vote",
    "auth_targets",
    "existing_resource_targets",
    "find_resource",
    "new_endpoint_targets",
    "new_list_targets",
    "new_resource_targets",
    "paged_route",
    "path_groups",
    "read_project",
]
