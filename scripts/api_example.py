"""From an inventory to a projected NPV over the Sourcewise API (docs/api.md, "A worked
example"): create an assessment, import its processes, submit it, start a savings
projection, wait for it and print the NPV's P10, P50 and P90.

    export SOURCEWISE_TOKEN=sw_...                 # a manager's or admin's token
    export SOURCEWISE_URL=http://127.0.0.1:8000    # make run's address, the default
    python scripts/api_example.py

It needs only httpx (pip install httpx).
"""

import os
import sys
import time

import httpx

BASE_URL = os.environ.get("SOURCEWISE_URL", "http://127.0.0.1:8000")
TOKEN = os.environ.get("SOURCEWISE_TOKEN", "")
WAIT_SECONDS = float(os.environ.get("SOURCEWISE_WAIT", "300"))

# The inventory template's columns (the wizard's "Download the template"): each process,
# its yearly cost and staff, and the questionnaire's eleven answers (1 to 5, 0: don't know).
INVENTORY_CSV = """\
name,business_function,description,annual_cost,fte,strategic_importance,standardisation,\
volume,knowledge_intensity,technology_intensity,data_sensitivity,customer_contact,\
onsite_need,capability_gap,demand_variability,interdependence
Payroll processing,HR,Monthly payroll for 420 staff,450000,5,1,5,5,2,2,4,1,1,3,2,2
Accounts payable,finance,Invoice capture and payment runs,1200000,18,1,5,5,2,3,3,1,1,3,2,2
IT service desk,IT,Staff helpdesk around the clock,1500000,22,2,4,5,2,5,3,1,2,4,4,2
"""


def call(client: httpx.Client, method: str, url: str, **kwargs) -> dict:
    """One request; on an error, print the API's words and stop."""
    response = client.request(method, url, **kwargs)
    if response.is_error:
        try:
            errors = response.json()["errors"]
        except (ValueError, KeyError):  # not the API's answer (a proxy's page?)
            errors = [{"detail": response.text[:200], "attr": None}]
        for error in errors:
            where = f" ({error['attr']})" if error.get("attr") else ""
            print(f"{method} {url}: {response.status_code}{where} {error['detail']}")
        sys.exit(1)
    return response.json()


def main() -> None:
    if not TOKEN:
        sys.exit("Set SOURCEWISE_TOKEN to an API token (your account, API tokens).")
    headers = {"Authorization": f"Token {TOKEN}"}
    with httpx.Client(base_url=BASE_URL, headers=headers, timeout=60) as client:
        me = call(client, "GET", "/api/v1/me/")
        print(f"Acting as {me['username']} ({me['role']}) in {me['organisation']}.")

        assessment = call(
            client,
            "POST",
            "/api/v1/assessments/",
            json={
                "name": "Back-office review (API example)",
                "objectives": ["cost_reduction", "access_to_skills"],
            },
        )
        links = assessment["links"]
        print(f"Created assessment {assessment['id']}: {assessment['name']}.")

        imported = call(
            client,
            "POST",
            links["inventory"],
            files={"file": ("inventory.csv", INVENTORY_CSV, "text/csv")},
        )
        print(f"Imported {imported['imported']} processes.")

        call(client, "POST", links["submit"])
        for row in call(client, "GET", links["recommendations"])["results"]:
            print(f"  {row['name']}: {row['model']} {row['location'] or ''}".rstrip())

        projection = call(
            client, "POST", links["start_projection"], json={"trials": 5000, "seed": 42}
        )
        print(f"Projection {projection['id']} started.")
        deadline = time.monotonic() + WAIT_SECONDS
        while projection["status"] not in ("done", "failed"):
            if time.monotonic() > deadline:
                sys.exit(
                    f"Still {projection['status']} after {WAIT_SECONDS:.0f} s: is a "
                    "worker running (make run starts one)?"
                )
            time.sleep(1)
            projection = call(client, "GET", projection["url"])
            print(f"  {projection['status']}, {projection['progress']} %")
        if projection["status"] == "failed":
            sys.exit(f"The projection failed: {projection['message']}")

        result = call(client, "GET", projection["result_url"])
        headline = result["headline"]
        if headline is None:
            sys.exit(result["message"] or "Nothing to project: no process is outsourced.")
        for name in ("npv_p10", "npv_p50", "npv_p90"):
            money = headline[name]
            print(f"{name[4:].upper()} NPV: {money['amount']} {money['currency']}")


if __name__ == "__main__":
    main()
