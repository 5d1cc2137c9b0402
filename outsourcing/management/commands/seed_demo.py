"""Load the demo organisations, accounts and data. Running it twice changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_organisations
from assessments.demo import seed_assessments
from assessments.scenarios.demo import seed_scenarios
from contracts.demo import seed_contracts
from contracts.demo_exit import seed_exit_plans
from contracts.forecasts.services import forecasts_refresh_now
from contracts.models import Contract
from vendors.demo import seed_vendors
from vendors.demo_portal import seed_portal


class Command(BaseCommand):
    help = "Create the demo organisations (Acme Holdings, Globex), accounts and data."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Seed even when DJANGO_DEBUG is false."
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEMO_DATA_ALLOWED and not options["force"]:
            raise CommandError(
                "Refusing to load demo accounts with a known password while DJANGO_DEBUG is "
                "false. Use --force if you really want them on this server."
            )
        with transaction.atomic():
            organisations = seed_organisations()
            seed_assessments(organisations)
            seed_vendors(organisations)
            seed_contracts(organisations)
            seed_exit_plans(organisations)  # exit plans in several states
            # A fresh link each run (tokens are kept only as hashes); printed last.
            portal_link = seed_portal(organisations)
        # The forecasts the contract pages compare realised savings with, for every
        # projection finished by now (a projection still running stores them when done).
        forecasts_refresh_now(Contract.objects.filter(organisation__in=organisations.values()))
        seed_scenarios(organisations)  # the demo assessment's scenarios, projected
        accounts = ", ".join(a.username for a in DEMO_ACCOUNTS)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Accounts: {accounts} (password {DEMO_PASSWORD}).")
        )
        if portal_link:
            self.stdout.write(f"Vendor portal demo link: {portal_link}")
