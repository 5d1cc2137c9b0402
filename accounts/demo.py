"""Demo organisations and accounts (used by ``manage.py seed_demo``)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from accounts.models import Membership, Organisation, Role

DEMO_PASSWORD = "sourcewise-demo"
DEMO_ORGANISATION = "Acme Holdings"
GLOBEX_ORGANISATION = "Globex"


@dataclass(frozen=True)
class DemoAccount:
    """A demo person: a member of one organisation, or (operator) a platform superuser
    who belongs to none and works only in Django admin."""

    username: str
    organisation: str | None
    role: str | None
    first_name: str
    last_name: str
    superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("manager", DEMO_ORGANISATION, Role.MANAGER, "Maya", "Patel"),
    DemoAccount("cio", DEMO_ORGANISATION, Role.CIO, "Chris", "Okafor"),
    DemoAccount("admin", DEMO_ORGANISATION, Role.ADMIN, "Ada", "Lindqvist"),
    DemoAccount("globex", GLOBEX_ORGANISATION, Role.MANAGER, "Gina", "Rossi"),
    DemoAccount("operator", None, None, "Omar", "Haddad", superuser=True),
)


def seed_organisations() -> dict[str, Organisation]:
    """Create the demo organisations and accounts; existing ones keep their password.

    Platform rights (staff, superuser) are set as listed even on an existing account, so
    an older database whose demo ``admin`` was a superuser does not keep that right.
    """
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
                is_staff=account.superuser,
                is_superuser=account.superuser,
            )
        elif (user.is_staff, user.is_superuser) != (account.superuser, account.superuser):
            user.is_staff = user.is_superuser = account.superuser
            user.save(update_fields=["is_staff", "is_superuser"])
        if account.organisation is None:
            continue
        Membership.objects.get_or_create(
            user=user,
            organisation=organisations[account.organisation],
            defaults={"role": account.role},
        )
    return organisations
