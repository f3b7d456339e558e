import pytest
from django.urls import reverse

from courses import progress
from courses.models import StepCompletion
from practice.entry import save_entry
from practice.models import PracticeAttempt, Record, SearchLog
from tests.factories import make_coordinator, make_trainee
from tests.practice.factories import right_answers, right_entry

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"practice:{name}", args=args)


@pytest.fixture
def client_of(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_trainee_completes_the_exercise_through_the_pages(client_of, trainee, exercise):
    client = client_of(trainee)
    page = client.get(exercise.url)
    assert page.status_code == 200 and b"Start attempt 1" in page.content
    response = client.post(url("start", exercise.pk))
    assert response.status_code == 303
    attempt = PracticeAttempt.objects.get(user=trainee)
    assert response["Location"] == url("workspace", attempt.pk)
    task = exercise.entry_tasks.get()
    workspace = client.get(url("workspace", attempt.pk))
    assert b"Enter the Glock seizure" in workspace.content and b"BKZ012" in workspace.content
    # No expected value reaches the page before grading.
    assert b"EXPLAINED" not in workspace.content
    form = client.get(url("entry", attempt.pk, task.pk))
    assert form.status_code == 200 and b'name="serial"' in form.content
    refused = client.post(url("entry", attempt.pk, task.pk), right_entry(link_reference=""))
    assert refused.status_code == 400 and b"Possible duplicates" in refused.content and b"EV-1" in refused.content
    assert client.post(url("entry", attempt.pk, task.pk), right_entry()).status_code == 303
    found = client.post(url("search", attempt.pk), {"text": "la guera"})
    assert found.status_code == 200 and b"SZ-1" in found.content
    assert SearchLog.objects.filter(attempt=attempt).count() == 1
    response = client.post(url("submit", attempt.pk), right_answers(exercise))
    assert response.status_code == 303 and response["Location"] == url("result", attempt.pk)
    result = client.get(url("result", attempt.pk))
    assert b"Passed" in result.content
    assert StepCompletion.objects.filter(page=exercise, enrollment__user=trainee).exists()


def test_a_mistake_is_explained_in_the_review(client_of, trainee, exercise):
    exercise.review_policy = "after_each"
    exercise.save()
    client = client_of(trainee)
    client.post(url("start", exercise.pk))
    attempt = PracticeAttempt.objects.get(user=trainee)
    client.post(url("entry", attempt.pk, exercise.entry_tasks.get().pk), right_entry(caliber=".380"))
    client.post(url("submit", attempt.pk), right_answers(exercise))
    result = client.get(url("result", attempt.pk))
    assert b"Not passed" not in result.content or b"Why caliber EXPLAINED" in result.content
    assert b"Why caliber EXPLAINED" in result.content and b".380 ACP" in result.content


def test_score_only_policy_hides_expected_values(client_of, trainee, exercise):
    exercise.review_policy = "score_only"
    exercise.save()
    client = client_of(trainee)
    client.post(url("start", exercise.pk))
    attempt = PracticeAttempt.objects.get(user=trainee)
    client.post(url("submit", attempt.pk), right_answers(exercise))
    result = client.get(url("result", attempt.pk))
    assert b"EXPLAINED" not in result.content and b"BKZ012" not in result.content


def test_a_get_changes_nothing(client_of, trainee, exercise, attempt):
    client = client_of(trainee)
    assert client.get(url("start", exercise.pk)).status_code == 405
    assert client.get(url("submit", attempt.pk)).status_code == 405
    client.get(url("search", attempt.pk), {"text": "ortiz"})
    assert not SearchLog.objects.exists()
    attempt.refresh_from_db()
    assert attempt.is_open


@pytest.fixture
def theirs(course, exercise):
    """Another trainee's attempt with a saved entry."""
    from practice.attempts import start_attempt

    other = make_trainee()
    progress.enroll(other, course)
    attempt = start_attempt(other, exercise)
    record = save_entry(
        attempt, exercise.entry_tasks.get(), right_entry(given_names="Pedro", paternal_surname="Secreto")
    )
    return attempt, record


def _every_url(attempt, record, task):
    return [
        ("get", url("workspace", attempt.pk), {}),
        ("get", url("entry", attempt.pk, task.pk), {}),
        ("post", url("entry", attempt.pk, task.pk), right_entry()),
        ("get", url("search", attempt.pk), {}),
        ("post", url("search", attempt.pk), {"text": "secreto"}),
        ("get", url("record", attempt.pk, record.pk), {}),
        ("post", url("submit", attempt.pk), {"action": "submit"}),
        ("get", url("result", attempt.pk), {}),
    ]


@pytest.mark.parametrize("who", ["trainee", "coordinator_other_agency"])
def test_another_persons_sandbox_cannot_be_reached(client_of, who, trainee, theirs, exercise, other_agency):
    attempt, record = theirs
    user = trainee if who == "trainee" else make_coordinator(agency=other_agency)
    client = client_of(user)
    for method, address, data in _every_url(attempt, record, exercise.entry_tasks.get()):
        response = getattr(client, method)(address, data)
        assert response.status_code == 404, (method, address)
        assert b"Secreto" not in response.content
    attempt.refresh_from_db()
    assert attempt.is_open
    assert not SearchLog.objects.exists()
    assert Record.objects.filter(attempt=attempt).get().pk == record.pk


def test_another_sandbox_record_through_own_attempt_is_not_found(client_of, trainee, attempt, theirs):
    _their_attempt, record = theirs
    client = client_of(trainee)
    response = client.get(url("record", attempt.pk, record.pk))
    assert response.status_code == 404 and b"Secreto" not in response.content
    seed = Record.objects.get(reference="SZ-1")
    assert client.get(url("record", attempt.pk, seed.pk)).status_code == 200


def test_entry_task_of_another_exercise_is_not_found(client_of, trainee, attempt, module):
    from tests.practice.factories import make_exercise

    other = make_exercise(module, title="Other exercise")
    response = client_of(trainee).get(url("entry", attempt.pk, other.entry_tasks.get().pk))
    assert response.status_code == 404


def test_huge_ids_are_not_found(client_of, trainee, attempt):
    client = client_of(trainee)
    assert client.get(f"/en/practice/attempts/{2**64}/").status_code == 404
    assert client.get(url("record", attempt.pk, 2**63)).status_code == 404


def test_bad_input_gets_a_message_not_a_500(client_of, trainee, exercise, attempt):
    client = client_of(trainee)
    task = exercise.entry_tasks.get()
    response = client.post(url("entry", attempt.pk, task.pk), {"occurred_on": "not a date", "quantity": "-1"})
    assert response.status_code == 400 and b"Enter a valid date." in response.content
    response = client.post(url("search", attempt.pk), {"date_from": "x", "page": "0"})
    assert response.status_code == 400
    response = client.post(url("submit", attempt.pk), {"action": "explode"})
    assert response.status_code == 400
    retrieval = exercise.retrieval_tasks.get()
    response = client.post(url("submit", attempt.pk), {"action": "submit", f"r-{retrieval.pk}-count": "1e9"})
    assert response.status_code == 400 and b"whole number" in response.content


def test_user_text_is_escaped(client_of, trainee, exercise, attempt):
    client = client_of(trainee)
    task = exercise.entry_tasks.get()
    client.post(
        url("entry", attempt.pk, task.pk),
        right_entry(place="<script>alert(1)</script>", given_names="<b>Ana</b>", paternal_surname="Ruiz"),
    )
    record = Record.objects.get(attempt=attempt)
    page = client.get(url("record", attempt.pk, record.pk))
    assert b"<script>alert(1)</script>" not in page.content and b"&lt;script&gt;" in page.content
