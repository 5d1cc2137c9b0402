from tests.assessments.factories import scored_assessment

def test_smoke(cast):
    a = scored_assessment(cast.org, cast.manager.user)
    c = cast.client_for("manager")
    for url in [f"/assessments/{a.pk}/results/", f"/assessments/{a.pk}/roadmap/",
                f"/assessments/{a.pk}/processes/{a.processes.first().pk}/",
                f"/assessments/{a.pk}/export.csv", f"/assessments/{a.pk}/export.xlsx",
                f"/assessments/{a.pk}/results/?model=BPO&sort=-cost&q=pay"]:
        r = c.get(url)
        print(url, r.status_code, len(r.content))
        assert r.status_code == 200, r.content[:3000]
