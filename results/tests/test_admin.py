import pytest


@pytest.mark.django_db
def test_admin_lists_the_results_models(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "x"))
    for name in (
        "gradingscale",
        "assessmentperiod",
        "resultimport",
        "resultrow",
        "innovativeclass",
    ):
        assert client.get(f"/admin/results/{name}/").status_code == 200, name
    assert client.get("/admin/results/resultrow/add/").status_code == 403
