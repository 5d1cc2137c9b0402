"""Reading an inventory file for the command-line tools (assess, project)."""

from pathlib import Path

from django.core.management.base import CommandError

from accounts.engine.formatting import count_of
from assessments.engine.inventory import MAX_BYTES, Inventory, read_inventory


def inventory_from(path: Path, *, action: str) -> Inventory:
    """The file's valid inventory, or CommandError listing the problems in words."""
    try:
        with path.open("rb") as file:
            size = path.stat().st_size
            # One byte past the limit is enough to refuse it; never read a huge file whole.
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from None
    inventory = read_inventory(data, path.name, size=max(size, len(data)))
    if inventory.errors:
        problems = "\n".join(f"  - {error}" for error in inventory.errors)
        raise CommandError(
            f"{path} has {count_of(inventory.problem_count, 'problem')}; "
            f"nothing was {action}:\n{problems}"
        )
    return inventory
