"""Campaign pages: the public list and page, the district admin's create and edit forms."""
from blueprints.campaigns import bp  # noqa: F401
