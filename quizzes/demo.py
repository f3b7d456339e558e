"""Demo quiz: a short bilingual quiz about using the platform, at the end of
the last module of "AC-001 Platform orientation" (created by courses.demo).

Its one-minute cool-down lets a demo user fail, wait and pass.
"""

from courses.models import CoursePage, ModulePage

from .content import build_quiz

DEMO_QUIZ = {
    "slug": {"en": "platform-check", "es": "prueba-de-la-plataforma"},
    "title": {"en": "Quiz: using the platform", "es": "Cuestionario: uso de la plataforma"},
    "intro": {
        "en": "Six short questions to check you can find your way around the training platform.",
        "es": "Seis preguntas breves para comprobar que sabe moverse por la plataforma de capacitación.",
    },
    "pass_mark": 80,
    "max_attempts": 5,
    "cooldown_minutes": 1,
    "time_limit_minutes": 10,
    "review": "after_each",
    "shuffle_questions": True,
    "shuffle_choices": True,
    "estimated_minutes": 5,
    "questions": [
        {
            "kind": "single",
            "points": 1,
            "text": {
                "en": "Where do you see the courses you are enrolled in and your progress?",
                "es": "¿Dónde ve los cursos en los que se inscribió y su avance?",
            },
            "explanation": {
                "en": "My learning lists your courses, your progress in each and your certificates.",
                "es": "Mi aprendizaje muestra sus cursos, su avance en cada uno y sus constancias.",
            },
            "choices": [
                {"en": "On the My learning page", "es": "En la página Mi aprendizaje", "correct": True},
                {"en": "In an e-mail sent every week", "es": "En un correo que llega cada semana"},
                {
                    "en": "Only your coordinator can see it",
                    "es": "Solo la persona coordinadora de su institución puede verlo",
                },
                {"en": "On the public verification page", "es": "En la página pública de verificación"},
            ],
        },
        {
            "kind": "true_false",
            "points": 1,
            "text": {
                "en": "You can switch between English and Spanish on any page without losing your place.",
                "es": "Puede cambiar entre español e inglés en cualquier página sin perder su lugar.",
            },
            "explanation": {
                "en": "The language link in the header opens the same page in the other language.",
                "es": "El enlace de idioma en el encabezado abre la misma página en el otro idioma.",
            },
            "answer": True,
        },
        {
            "kind": "multiple",
            "points": 2,
            "scoring": "partial",
            "text": {
                "en": "Which of these do you need to complete a course? Select all that apply.",
                "es": "¿Qué necesita para completar un curso? Seleccione todas las que correspondan.",
            },
            "explanation": {
                "en": "A course is complete when every required lesson is done and every required quiz is passed.",
                "es": "Un curso se completa cuando terminas todas las lecciones obligatorias y apruebas "
                "todos los cuestionarios obligatorios.",
            },
            "choices": [
                {
                    "en": "Finish every required lesson",
                    "es": "Terminar todas las lecciones obligatorias",
                    "correct": True,
                },
                {
                    "en": "Pass every required quiz",
                    "es": "Aprobar todos los cuestionarios obligatorios",
                    "correct": True,
                },
                {"en": "Print every lesson", "es": "Imprimir todas las lecciones"},
                {
                    "en": "Ask your coordinator for approval",
                    "es": "Pedir la aprobación de la persona coordinadora de su institución",
                },
            ],
        },
        {
            "kind": "single",
            "points": 1,
            "text": {
                "en": "You failed a quiz. What happens next?",
                "es": "No aprobó un cuestionario. ¿Qué pasa después?",
            },
            "explanation": {
                "en": "After a short wait you may try again, as long as you have attempts left.",
                "es": "Después de una breve espera puede intentarlo de nuevo, mientras le queden intentos.",
            },
            "choices": [
                {
                    "en": "You wait for the cool-down, then start a new attempt",
                    "es": "Espera el tiempo indicado y luego inicia un nuevo intento",
                    "correct": True,
                },
                {"en": "Your enrollment is canceled", "es": "Se cancela su inscripción"},
                {"en": "You must restart the whole course", "es": "Debe empezar todo el curso de nuevo"},
            ],
        },
        {
            "kind": "true_false",
            "points": 1,
            "text": {
                "en": "Anyone with a certificate's verification code can check whether it is valid.",
                "es": "Cualquier persona con el código de verificación de una constancia puede comprobar si es válida.",
            },
            "explanation": {
                "en": "Certificates carry a code and a QR code that open their public verification page.",
                "es": "Las constancias llevan un código y un código QR que abren su página pública de verificación.",
            },
            "answer": True,
        },
        {
            "kind": "single",
            "points": 1,
            "text": {
                "en": "A timed quiz runs out of time before you submit. What is graded?",
                "es": "Se acaba el tiempo de un cuestionario antes de que lo envíe. ¿Qué se califica?",
            },
            "explanation": {
                "en": "The page submits by itself at zero; otherwise the answers you saved before the deadline count.",
                "es": "La página envía sus respuestas sola al llegar a cero; si no, cuentan las que guardó "
                "antes de la hora límite.",
            },
            "choices": [
                {
                    "en": "The answers submitted or saved before the deadline",
                    "es": "Las respuestas enviadas o guardadas antes de la hora límite",
                    "correct": True,
                },
                {"en": "Nothing: the attempt is deleted", "es": "Nada: el intento se borra"},
                {"en": "Every question counts as right", "es": "Todas las preguntas cuentan como correctas"},
            ],
        },
    ],
}


def load(stdout=None):
    """Add (or refresh) the demo quiz. Safe to call twice; skipped when the
    AC-001 course is not there."""
    course = CoursePage.objects.filter(code="AC-001").first()
    if course is None:
        if stdout:
            stdout.write("  quizzes: course AC-001 not found, demo quiz skipped")
        return None
    module = ModulePage.objects.child_of(course).order_by("-path").first()
    if module is None:
        if stdout:
            stdout.write("  quizzes: course AC-001 has no module, demo quiz skipped")
        return None
    quiz = build_quiz(module, DEMO_QUIZ)
    if stdout:
        stdout.write(f"  quizzes: demo quiz “{quiz.title}” with {len(DEMO_QUIZ['questions'])} questions")
    return quiz
