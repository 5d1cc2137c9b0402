"""Demo organisations and accounts (used by ``manage.py seed_demo``)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from .models import Membership, Organisation, Role

DEMO_PASSWORD = "sourcewise-demo"
DEMO_ORGANISATION = "Acme Holdings"
GLOBEX_ORGANISATION = "Globex"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    organisation: str
    role: str
    first_name: str
    last_name: str


DEMO_ACCOUNTS = (
    DemoAccount("manager", DEMO_ORGANISATION, Role.MANAGER, "Maya", "Patel"),
    DemoAccount("cio", DEMO_ORGANISATION, Role.CIO, "Chris", "Okafor"),
    DemoAccount("admin", DEMO_ORGANISATION, Role.ADMIN, "Ada", "Lindqvist"),
    DemoAccount("globex", GLOBEX_ORGANISATION, Role.MANAGER, "Gina", "Rossi"),
)


def seed_organisations() -> dict[str, Organisation]:
    """Create the demo organisations and accounts; existing ones are left as they are."""
    organisations = {
        DEMO_ORGANISATION: Organisation.objects.get_or_create(
            name=DEMO_ORGANISATION, defaults={"home_country": "United Kingdom", "currency": "GBP"}
        )[0],
        GLOBEX_ORGANISATION: Organisation.objects.get_or_create(
            name=GLOBEX_ORGANISATION, defaults={"home_country": "Germany", "currency": "EUR"}
        )[0],
    }
    user_model = get_user_model()
    for account in DEMO_ACCOUNTS:
        user = user_model.objects.filter(username=account.username).first()
        if user is None:
            user = user_model.objects.create_user(
                username=account.username,
                password=DEMO_PASSWORD,
                email=f"{account.username}@example.com",
                first_name=account.first_name,
                last_name=account.last_name,
                is_staff=account.role == Role.ADMIN,
                is_superuser=account.role == Role.ADMIN,
            )
        Membership.objects.get_or_create(
            user=user,
            organisation=organisations[account.organisation],
            defaults={"role": account.role},
        )
    return organisations
