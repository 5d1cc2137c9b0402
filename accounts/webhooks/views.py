"""The organisation admin's webhooks page: subscriptions, their secrets, the delivery log."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import MemberRequest, organisation_of, roles_required
from accounts.models import Role
from accounts.webhooks import services
from accounts.webhooks.models import EVENTS, Subscription


class SubscriptionForm(forms.Form):
    url = forms.CharField(
        label="Endpoint URL",
        max_length=500,
        help_text="Where Sourcewise POSTs each event, e.g. https://example.com/hooks/sourcewise.",
    )
    events = forms.MultipleChoiceField(
        choices=[(code, f"{code}: {meaning}") for code, meaning in EVENTS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(max_length=200, required=False)
    active = forms.BooleanField(
        required=False, initial=True, help_text="An inactive webhook receives nothing."
    )


def _subscription(request: HttpRequest, pk: int) -> Subscription:
    return get_object_or_404(Subscription, pk=pk, organisation=organisation_of(request))


@roles_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def webhook_list(request: MemberRequest) -> HttpResponse:
    organisation = organisation_of(request)
    form = SubscriptionForm(request.POST or None, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        try:
            subscription = services.subscription_create(
                organisation=organisation,
                user=request.user,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
            )
        except services.WebhookError as error:
            form.add_error(
                "url" if "address" in str(error) or "host" in str(error) else None, str(error)
            )
        else:
            messages.success(request, "Webhook added. Its signing secret is shown below.")
            return redirect("webhook-detail", pk=subscription.pk)
    return render(
        request,
        "webhooks/list.html",
        {
            "form": form,
            "events": EVENTS,
            "subscriptions": Subscription.objects.filter(organisation=organisation),
        },
        status=400 if form.errors else 200,
    )


@roles_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    form = SubscriptionForm(
        request.POST or None,
        initial={
            "url": subscription.url,
            "events": subscription.events,
            "description": subscription.description,
            "active": subscription.active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_update(
                subscription=subscription,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                active=form.cleaned_data["active"],
                description=form.cleaned_data["description"],
            )
        except services.WebhookError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Webhook saved.")
            return redirect("webhook-detail", pk=subscription.pk)
    deliveries = Paginator(subscription.deliveries.all(), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "webhooks/detail.html",
        {
            "subscription": subscription,
            "form": form,
            "deliveries": deliveries,
            "page_obj": deliveries,
        },
        status=400 if form.errors else 200,
    )


@roles_required(Role.ADMIN)
@require_POST
def webhook_test(request: HttpRequest, pk: int) -> HttpResponse:
    services.send_test(subscription=_subscription(request, pk))
    messages.success(request, "Test event queued: its delivery appears in the log below.")
    return redirect("webhook-detail", pk=pk)


@roles_required(Role.ADMIN)
@require_POST
def webhook_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    services.subscription_rotate_secret(subscription=_subscription(request, pk))
    messages.success(request, "New signing secret: update your endpoint to check it.")
    return redirect("webhook-detail", pk=pk)


@roles_required(Role.ADMIN)
@require_POST
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.subscription_delete(subscription=_subscription(request, pk))
    messages.success(request, "Webhook deleted.")
    return redirect("webhook-list")
