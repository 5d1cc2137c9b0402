"""Reading an inventory file for the command-line tools (assess, project)."""

from pathlib import Path

from django.core.management.base import CommandError

from assessments.engine.inventory import Inventory, read_inventory


def inventory_from(path: Path, *, action: str) -> Inventory:
    """The file's valid inventory, or CommandError listing every problem in words."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from None
    inventory = read_inventory(data, path.name)
    if inventory.errors:
        problems = "\n".join(f"  - {error}" for error in inventory.errors)
        raise CommandError(f"{path} has {len(inventory.errors)} problem(s); nothing was "
                           f"{action}:\n{problems}")
    return inventory
