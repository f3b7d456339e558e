"""Demo course AC-001 "Platform orientation / Orientación a la plataforma".

A short, genuine bilingual course about using this platform: how to study,
progress, quizzes, certificates and their verification, switching language,
and the privacy of your records. The main training course (AC-100) comes
from content/*.yaml through the training app, not from here.

``load()`` runs from ``manage.py load_demo`` after ``lms.demo`` (which
creates the demo users). Safe to call twice: an existing AC-001 is left as
its editors made it; only its instructor is ensured.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation

from . import site_setup
from .models import Audience, CoursePage, LessonPage, ModulePage

CODE = "AC-001"


def text(en, es):
    return {"en": en, "es": es}


COURSE = {
    "title": text("Platform orientation", "Orientación a la plataforma"),
    "slug": text("platform-orientation", "orientacion-a-la-plataforma"),
    "summary": text(
        "Fifteen minutes to learn how this platform works: studying, progress, quizzes, certificates, "
        "languages and who can see your records.",
        "Quince minutos para conocer cómo funciona esta plataforma: estudio, avance, cuestionarios, "
        "constancias, idiomas y quién puede ver sus registros.",
    ),
    "intro": text(
        "<p>Take this short course before your first training course. It explains what you will find "
        "on each page and what happens to your progress and your records.</p>",
        "<p>Tome este curso breve antes de su primer curso de capacitación. Explica qué encontrará en "
        "cada página y qué pasa con su avance y con sus registros.</p>",
    ),
}

MODULES = [
    {
        "title": text("Studying on the platform", "Cómo estudiar en la plataforma"),
        "slug": text("studying-on-the-platform", "como-estudiar-en-la-plataforma"),
        "intro": text(
            "How courses are organized, how to mark your progress and how to study in either language.",
            "Cómo se organizan los cursos, cómo registrar su avance y cómo estudiar en cualquiera de los dos idiomas.",
        ),
        "lessons": [
            {
                "title": text("How to study here", "Cómo estudiar aquí"),
                "slug": text("how-to-study-here", "como-estudiar-aqui"),
                "intro": text(
                    "Courses, modules and steps, and what “Mark as complete” does.",
                    "Cursos, módulos y pasos, y qué hace «Marcar como completado».",
                ),
                "minutes": 3,
                "body": [
                    (
                        "rich_text",
                        text(
                            "<p>Every course is divided into <b>modules</b>, and every module into "
                            "<b>steps</b>: short lessons to read and, at the end of most modules, a quiz. "
                            "The outline beside each lesson shows where you are and what is left.</p>"
                            "<h3>Reading a lesson</h3>"
                            "<p>Read the lesson at your own pace. Legal citations link to the official "
                            "text of the law, so you can check the source yourself. Boxes marked "
                            "<i>Key point</i>, <i>Warning</i> or <i>Red flag</i> highlight what matters "
                            "most in the field.</p>"
                            "<h3>Marking it complete</h3>"
                            "<p>When you have finished a lesson, press <b>Mark as complete</b>. The step "
                            "is ticked in the outline and you go straight on to the next one. Pressing "
                            "it twice does no harm: a step is only counted once.</p>",
                            "<p>Cada curso se divide en <b>módulos</b>, y cada módulo en <b>pasos</b>: "
                            "lecciones breves para leer y, al final de la mayoría de los módulos, un "
                            "cuestionario. El índice junto a cada lección muestra dónde está y qué "
                            "le falta.</p>"
                            "<h3>Leer una lección</h3>"
                            "<p>Lea la lección a su ritmo. Las citas legales enlazan con el texto oficial "
                            "de la ley, para que pueda consultar la fuente por su cuenta. Los recuadros "
                            "marcados como <i>Punto clave</i>, <i>Advertencia</i> o <i>Señal de alerta</i> "
                            "destacan lo más importante para el trabajo de campo.</p>"
                            "<h3>Marcarla como completada</h3>"
                            "<p>Cuando termine una lección, pulse <b>Marcar como completado</b>. El paso "
                            "queda marcado en el índice y pasa directamente al siguiente. Pulsarlo dos "
                            "veces no causa problemas: cada paso se cuenta una sola vez.</p>",
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "key_point",
                            "title": text("Required and optional steps", "Pasos obligatorios y opcionales"),
                            "text": text(
                                "<p>Only required steps count toward completing a course. Optional "
                                "steps are marked “optional” in the outline.</p>",
                                "<p>Solo los pasos obligatorios cuentan para completar un curso. Los "
                                "pasos opcionales aparecen marcados como «opcional» en el índice.</p>",
                            ),
                        },
                    ),
                ],
            },
            {
                "title": text("Your progress and where to resume", "Su avance y dónde retomar"),
                "slug": text("your-progress", "su-avance"),
                "intro": text(
                    "Progress bars, My learning and “Continue where you left off”.",
                    "Barras de avance, Mi aprendizaje y «Continuar donde se quedó».",
                ),
                "minutes": 2,
                "body": [
                    (
                        "rich_text",
                        text(
                            "<p>The progress bar shows the share of a course's required steps you have "
                            "completed. Each module shows its own percentage too.</p>"
                            "<p>The platform remembers the last step you opened. On the course page and "
                            "on <b>My learning</b>, the <b>Continue where you left off</b> button takes "
                            "you back there, on any computer you sign in from.</p>"
                            "<p><b>My learning</b>, in the main menu, lists every course you are enrolled "
                            "in, with its progress, your next step and, once you finish, the date you "
                            "completed it and your certificate.</p>",
                            "<p>La barra de avance muestra la proporción de los pasos obligatorios del "
                            "curso que ya completó. Cada módulo muestra también su propio porcentaje.</p>"
                            "<p>La plataforma recuerda el último paso que abrió. En la página del curso "
                            "y en <b>Mi aprendizaje</b>, el botón <b>Continuar donde se quedó</b> lo "
                            "lleva de vuelta a ese paso, desde cualquier computadora en la que inicie "
                            "sesión.</p>"
                            "<p><b>Mi aprendizaje</b>, en el menú principal, reúne todos los cursos en los "
                            "que está inscrito, con su avance, su siguiente paso y, al terminar, la fecha "
                            "en que lo completó y su constancia.</p>",
                        ),
                    ),
                ],
            },
            {
                "title": text("Studying in English or Spanish", "Estudiar en español o en inglés"),
                "slug": text("english-or-spanish", "espanol-o-ingles"),
                "intro": text(
                    "Switch language at any moment without losing your place.",
                    "Cambie de idioma en cualquier momento sin perder su lugar.",
                ),
                "minutes": 2,
                "body": [
                    (
                        "rich_text",
                        text(
                            "<p>Every page exists in English and in Spanish. The language link at the top "
                            "of the page shows the same page in the other language.</p>"
                            "<p>Your progress does not depend on the language: a step you completed in "
                            "English is complete in Spanish, and quizzes are graded the same way in both. "
                            "Switch whenever it helps you understand a point.</p>"
                            "<p>Under <b>Preferences</b> you can choose the language the platform opens "
                            "in after you sign in. If a text has not been translated yet, you will see "
                            "it in English with a notice.</p>",
                            "<p>Cada página existe en español y en inglés. El enlace de idioma en la parte "
                            "superior de la página muestra la misma página en el otro idioma.</p>"
                            "<p>Su avance no depende del idioma: un paso que completó en inglés está "
                            "completo en español, y los cuestionarios se califican igual en ambos. Cambie "
                            "de idioma cuando le ayude a entender algo.</p>"
                            "<p>En <b>Preferencias</b> puede elegir el idioma en el que se abre la "
                            "plataforma al iniciar sesión. Si un texto todavía no está traducido, lo verá "
                            "en inglés con un aviso.</p>",
                        ),
                    ),
                ],
            },
        ],
    },
    {
        "title": text("Quizzes, certificates and your records", "Cuestionarios, constancias y sus registros"),
        "slug": text("quizzes-certificates-records", "cuestionarios-constancias-registros"),
        "intro": text(
            "How quizzes work, what a certificate proves and who can see your records.",
            "Cómo funcionan los cuestionarios, qué acredita una constancia y quién puede ver sus registros.",
        ),
        "lessons": [
            {
                "title": text("Quizzes", "Cuestionarios"),
                "slug": text("quizzes", "cuestionarios"),
                "intro": text(
                    "Pass marks, attempts, time limits and reviewing your answers.",
                    "Calificación mínima, intentos, límite de tiempo y revisión de sus respuestas.",
                ),
                "minutes": 3,
                "body": [
                    (
                        "rich_text",
                        text(
                            "<p>Most modules end with a quiz. Each quiz page tells you, before you start, "
                            "the pass mark, how many attempts you have, whether there is a time limit and "
                            "how long you must wait between attempts.</p>"
                            "<p>Questions may be drawn from a larger pool, so two attempts can differ. "
                            "Your answers are saved on the server; if there is a time limit, the server "
                            "keeps the time, not your browser. If time runs out, the page submits your "
                            "answers by itself; if it cannot, the answers you saved before the deadline "
                            "are graded and unanswered questions score zero.</p>"
                            "<p>Passing a quiz completes that step. After you submit, you can review your "
                            "answers with the explanations, as the quiz allows.</p>",
                            "<p>La mayoría de los módulos termina con un cuestionario. Antes de empezar, "
                            "cada cuestionario le indica la calificación mínima, cuántos intentos tiene, "
                            "si hay límite de tiempo y cuánto debe esperar entre intentos.</p>"
                            "<p>Las preguntas pueden salir de un banco más amplio, así que dos intentos "
                            "pueden ser distintos. Sus respuestas se guardan en el servidor; si hay límite "
                            "de tiempo, el servidor lleva la cuenta, no su navegador. Si se acaba el "
                            "tiempo, la página envía sus respuestas sola; si no puede hacerlo, se "
                            "califican las respuestas que guardó antes de la hora límite y las preguntas "
                            "sin responder valen cero.</p>"
                            "<p>Aprobar un cuestionario completa ese paso. Después de enviarlo puede "
                            "revisar sus respuestas con sus explicaciones, según lo permita el "
                            "cuestionario.</p>",
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": text("Submit once", "Envíe una sola vez"),
                            "text": text(
                                "<p>An attempt is graded once. If the page is slow, wait for it rather "
                                "than pressing Submit again; a second press will not count twice.</p>",
                                "<p>Cada intento se califica una sola vez. Si la página tarda, espere en "
                                "lugar de volver a pulsar Enviar; una segunda pulsación no cuenta dos "
                                "veces.</p>",
                            ),
                        },
                    ),
                ],
            },
            {
                "title": text("Certificates and verification", "Constancias y verificación"),
                "slug": text("certificates-and-verification", "constancias-y-verificacion"),
                "intro": text(
                    "What you receive when you finish a course, and how anyone can check it.",
                    "Qué recibe al terminar un curso y cómo cualquier persona puede verificarlo.",
                ),
                "minutes": 3,
                "body": [
                    (
                        "rich_text",
                        text(
                            "<p>When you complete every required step of a course, the platform issues a "
                            "PDF certificate in your language. You will find it on <b>My learning</b>.</p>"
                            "<p>Each certificate has a serial number and a QR code. Scanning the code, or "
                            "opening its verification address, shows anyone whether it is valid, expired "
                            "or revoked, without showing anything else about you.</p>"
                            "<p>Certificates stay current for the validity the course sets; this one for "
                            "24 months. Before it expires you will be reminded to take the course again; "
                            "your earlier certificates remain in your history.</p>",
                            "<p>Cuando completa todos los pasos obligatorios de un curso, la plataforma "
                            "emite una constancia en PDF en su idioma. La encontrará en "
                            "<b>Mi aprendizaje</b>.</p>"
                            "<p>Cada constancia tiene un número de serie y un código QR. Al escanear el "
                            "código, o al abrir su dirección de verificación, cualquier persona puede ver "
                            "si está vigente, vencida o revocada, sin ver nada más sobre usted.</p>"
                            "<p>Las constancias permanecen vigentes durante el plazo que fija el curso; "
                            "en este caso, 24 meses. Antes de que venza, se le recordará volver a tomar "
                            "el curso; sus constancias anteriores se conservan en su historial.</p>",
                        ),
                    ),
                    (
                        "key_terms",
                        [
                            {
                                "term": text("Serial number", "Número de serie"),
                                "definition": text(
                                    "The certificate's public reference, such as AC-2026-000042.",
                                    "La referencia pública de la constancia, por ejemplo AC-2026-000042.",
                                ),
                            },
                            {
                                "term": text("Verification code", "Código de verificación"),
                                "definition": text(
                                    "A long random code in the QR code; only someone who holds it can "
                                    "look the certificate up.",
                                    "Un código aleatorio largo incluido en el código QR; solo quien lo "
                                    "tiene puede consultar la constancia.",
                                ),
                            },
                            {
                                "term": text("Revoked", "Revocada"),
                                "definition": text(
                                    "Withdrawn by an administrator; a revoked certificate no longer proves anything.",
                                    "Retirada por una persona administradora; una constancia revocada ya "
                                    "no acredita nada.",
                                ),
                            },
                        ],
                    ),
                ],
            },
            {
                "title": text("The privacy of your records", "La privacidad de sus registros"),
                "slug": text("privacy-of-your-records", "privacidad-de-sus-registros"),
                "intro": text(
                    "Who can see your progress, results and certificates.",
                    "Quién puede ver su avance, sus resultados y sus constancias.",
                ),
                "minutes": 2,
                "body": [
                    (
                        "rich_text",
                        text(
                            "<p>Your records are your progress, quiz results and certificates. They are "
                            "seen by:</p>"
                            "<ul><li>you;</li>"
                            "<li>the coordinator of your own agency, who follows your agency's "
                            "training;</li>"
                            "<li>the instructors of the courses you take, for those courses only;</li>"
                            "<li>the platform's administrators.</li></ul>"
                            "<p>Other trainees, and coordinators of other agencies, cannot see them. "
                            "The public verification page shows only a certificate's status, holder and "
                            "course, and only to someone who has its code.</p>",
                            "<p>Sus registros son su avance, los resultados de sus cuestionarios y sus "
                            "constancias. Los pueden ver:</p>"
                            "<ul><li>usted;</li>"
                            "<li>la persona coordinadora de su propia institución, que da seguimiento a "
                            "la capacitación de su institución;</li>"
                            "<li>las y los instructores de los cursos que toma, solo para esos "
                            "cursos;</li>"
                            "<li>las personas administradoras de la plataforma.</li></ul>"
                            "<p>Otras personas en capacitación, y las coordinaciones de otras "
                            "instituciones, no pueden verlos. La página pública de verificación muestra "
                            "solo el estado, la persona titular y el curso de una constancia, y solo a "
                            "quien tiene su código.</p>",
                        ),
                    ),
                    (
                        "callout",
                        {
                            "kind": "red_flag",
                            "title": text("Never share your password", "Nunca comparta su contraseña"),
                            "text": text(
                                "<p>Your account is your training record. Nobody from the platform will "
                                "ever ask you for your password.</p>",
                                "<p>Su cuenta es su expediente de capacitación. Nadie de la plataforma le "
                                "pedirá nunca su contraseña.</p>",
                            ),
                        },
                    ),
                ],
            },
        ],
    },
]


def _in(language, value):
    """A block value in one language: {"en", "es"} mappings resolved."""
    if isinstance(value, dict) and set(value) == {"en", "es"}:
        return value[language]
    if isinstance(value, dict):
        return {key: _in(language, sub) for key, sub in value.items()}
    if isinstance(value, list):
        return [_in(language, item) for item in value]
    return value


def _body(blocks, language):
    return [{"type": kind, "value": _in(language, value)} for kind, value in blocks]


def _translated(name, value):
    return {f"{name}_en": value["en"], f"{name}_es": value["es"]}


def _add(parent, model, spec, **fields):
    page = model(
        **_translated("title", spec["title"]),
        **_translated("slug", spec["slug"]),
        **fields,
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def load(stdout=None):
    """Create AC-001 once (idempotent) and make the demo instructor teach it."""
    index = site_setup.ensure()
    course = CoursePage.objects.filter(code=CODE).first()
    created = course is None
    if created:
        with translation.override("en"):
            course = _add(
                index,
                CoursePage,
                COURSE,
                code=CODE,
                **_translated("summary", COURSE["summary"]),
                **_translated("intro", COURSE["intro"]),
                credit_hours=0.5,
                estimated_minutes=15,
                audience=Audience.OPEN,
                validity_months=24,
            )
            for module_spec in MODULES:
                module = _add(course, ModulePage, module_spec, **_translated("intro", module_spec["intro"]))
                for lesson in module_spec["lessons"]:
                    _add(
                        module,
                        LessonPage,
                        lesson,
                        **_translated("intro", lesson["intro"]),
                        body_en=_body(lesson["body"], "en"),
                        body_es=_body(lesson["body"], "es"),
                        estimated_minutes=lesson["minutes"],
                    )
    instructor = get_user_model().objects.filter(username="instructor").first()
    if instructor is not None and not course.instructors.filter(pk=instructor.pk).exists():
        course.instructors.add(instructor)
        course.save()
    if stdout:
        stdout.write(f"  courses: {CODE} {'created' if created else 'already there'}")
