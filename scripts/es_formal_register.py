"""Rewrite the Spanish catalogue to the formal register ("usted") and one set of
terms (institución, calificación mínima, banco de preguntas).

Usage: python scripts/es_formal_register.py locale/es/LC_MESSAGES/django.po

Rewrites msgstr only (msgids untouched); safe to run twice. Kept so the change
can be re-applied after a merge brings new informal strings; review the diff.
"""

import re
import sys

W = r"(?<![\wáéíóúñÁÉÍÓÚÑ])"
E = r"(?![\wáéíóúñÁÉÍÓÚÑ])"
# Whole-phrase replacements first (exact substrings), then word replacements.
PHRASES = [
    (
        "Recibes este mensaje porque coordinas la dependencia de esta persona.",
        "Recibe este mensaje porque coordina la institución de esta persona.",
    ),
    ("Si fuiste tú, abre este enlace", "Si fue usted, abra este enlace"),
    (
        "Si no lo solicitaste, ignora este mensaje: tu contraseña sigue igual.",
        "Si no lo solicitó, ignore este mensaje: su contraseña sigue igual.",
    ),
    (
        "Escribe el correo electrónico de tu cuenta y te enviaremos",
        "Escriba el correo electrónico de su cuenta y le enviaremos",
    ),
    (
        "Si olvidaste tu contraseña, puedes restablecerla; la persona coordinadora de tu dependencia también puede ayudarte.",
        "Si olvidó su contraseña, puede restablecerla; la persona coordinadora de su institución también puede ayudarle.",
    ),
    (
        "revisa tu carpeta de correo no deseado o consulta a la persona coordinadora de tu dependencia.",
        "revise su carpeta de correo no deseado o consulte a la persona coordinadora de su institución.",
    ),
    (
        "Toma al azar esta cantidad de preguntas del banco del cuestionario. Déjalo vacío para hacer todas las preguntas.",
        "Se toma al azar esta cantidad de preguntas del banco de preguntas del cuestionario. Déjelo vacío para hacer todas las preguntas.",
    ),
    ("revisa su redacción y su clave de respuestas.", "revise su redacción y su clave de respuestas."),
    (
        "Guardar conserva tus respuestas sin calificarlas. Enviar califica el intento; después ya no puedes cambiarlo.",
        "Guardar conserva sus respuestas sin calificarlas. Enviar califica el intento; después ya no puede cambiarlo.",
    ),
    (
        "Aprovecha para repasar las lecciones. Puedes iniciar tu siguiente intento",
        "Aproveche para repasar las lecciones. Puede iniciar su siguiente intento",
    ),
    (
        "Tus respuestas nos llegan cuando las guardas o las envías. Si sales de la página, el intento sigue abierto: regresa a él desde esta página.",
        "Sus respuestas nos llegan cuando las guarda o las envía. Si sale de la página, el intento sigue abierto: regrese a él desde esta página.",
    ),
    ("la página envía tus respuestas sola", "la página envía sus respuestas sola"),
    ("con las respuestas que guardaste antes", "con las respuestas que guardó antes"),
    (
        "Después de cada intento ves tu calificación; las respuestas y sus explicaciones, cuando apruebes o hayas usado tu último intento.",
        "Después de cada intento ve su calificación; las respuestas y sus explicaciones, cuando apruebe o haya usado su último intento.",
    ),
    (
        "Después de cada intento ves tu calificación, las respuestas y sus explicaciones.",
        "Después de cada intento ve su calificación, las respuestas y sus explicaciones.",
    ),
    ("Después de cada intento ves tu calificación.", "Después de cada intento ve su calificación."),
    ("filtra la <a", "filtre la <a"),
    ("y usa su botón de descarga", "y use su botón de descarga"),
    (
        "solo tú (y las personas administradoras) pueden obtenerla",
        "solo usted (y las personas administradoras) pueden obtenerla",
    ),
    (
        "completa los campos en español (cambia el editor a ES) y vuelve a publicar.",
        "complete los campos en español (cambie el editor a ES) y vuelva a publicar.",
    ),
    ("Marca los cursos que exige cada", "Marque los cursos que exige cada"),
    (
        "Para mantener tu certificación, vuelve a tomar el curso",
        "Para mantener su certificación, vuelva a tomar el curso",
    ),
    ("Vuelve a tomar el curso para renovarla.", "Vuelva a tomar el curso para renovarla."),
    (
        "Todavía no tienes constancias. Concluye un curso para recibir una.",
        "Todavía no tiene constancias. Concluya un curso para recibir una.",
    ),
    ("Pide a la persona titular la vigente.", "Pida a la persona titular la vigente."),
    (
        "Revisa el código (o vuelve a escanear el código QR) e inténtalo de nuevo.",
        "Revise el código (o vuelva a escanear el código QR) e inténtelo de nuevo.",
    ),
    (
        "Escanea el código o escribe aquí el código de verificación",
        "Escanee el código o escriba aquí el código de verificación",
    ),
    (
        "desde tu dirección. Espera un minuto e inténtalo de nuevo.",
        "desde su dirección. Espere un minuto e inténtelo de nuevo.",
    ),
    ("Recertificación iniciada: concluye el curso de nuevo", "Recertificación iniciada: concluya el curso de nuevo"),
    ("Sube el PDF o pega su huella", "Suba el PDF o pegue su huella"),
    ("Indica el motivo para revocar", "Indique el motivo para revocar"),
    ("Escribe un color como", "Escriba un color como"),
    ("Verifica esta constancia en", "Verifique esta constancia en"),
    ("Primero completa estos cursos:", "Primero complete estos cursos:"),
    ("Lee el texto oficial de", "Lea el texto oficial de"),
    ("Abre el video", "Abra el video"),
    ("Continuar donde te quedaste", "Continuar donde se quedó"),
    (
        "Inicia sesión para inscribirte en este curso y seguir tu avance.",
        "Inicie sesión para inscribirse en este curso y seguir su avance.",
    ),
    ("Inicia sesión para inscribirte", "Inicie sesión para inscribirse"),
    ("Inscríbete para leer esta lección", "Inscríbase para leer esta lección"),
    (
        "Inscríbete en este curso para responder su cuestionario.",
        "Inscríbase en este curso para responder su cuestionario.",
    ),
    ("Busca cursos y lecciones", "Busque cursos y lecciones"),
    ("Prueba con otras palabras o revisa la ortografía.", "Pruebe con otras palabras o revise la ortografía."),
    ("Usa como máximo", "Use como máximo"),
    ("Te damos la bienvenida", "Le damos la bienvenida"),
    ("Ingresa para comenzar tu capacitación", "Ingrese para comenzar su capacitación"),
    ("Ingresa para responder este cuestionario", "Ingrese para responder este cuestionario"),
    ("Por tu seguridad", "Por su seguridad"),
    ("Restablece tu contraseña", "Restablezca su contraseña"),
    ("¿Olvidaste tu contraseña?", "¿Olvidó su contraseña?"),
    ("Cambia tu contraseña", "Cambie su contraseña"),
    ("Elige una contraseña nueva", "Elija una contraseña nueva"),
    ("Revisa tu correo electrónico", "Revise su correo electrónico"),
    ("de tu cuenta de", "de su cuenta de"),
    ("Avísale a tu instructor.", "Avise a su instructor."),
    ("Espera un poco antes de tu siguiente intento.", "Espere un poco antes de su siguiente intento."),
    ("Revisa las preguntas marcadas abajo.", "Revise las preguntas marcadas abajo."),
    ("Elige solo una respuesta.", "Elija solo una respuesta."),
    ("Elige todas las respuestas que correspondan.", "Elija todas las respuestas que correspondan."),
    ("Elige una respuesta.", "Elija una respuesta."),
    ("Marca exactamente una opción como correcta.", "Marque exactamente una opción como correcta."),
    ("Marca al menos una opción como correcta.", "Marque al menos una opción como correcta."),
    ("Revisa esta pregunta", "Revise esta pregunta"),
    ("Se acabó el tiempo: enviando tus respuestas.", "Se acabó el tiempo: enviando sus respuestas."),
    ("Envía tus respuestas antes de", "Envíe sus respuestas antes de"),
    ("Inténtalo de nuevo o pide ayuda", "Inténtelo de nuevo o pida ayuda"),
    (
        "Formato de exportación desconocido %(format)s: usa csv o xlsx.",
        "Formato de exportación desconocido %(format)s: use csv o xlsx.",
    ),
    (
        "Todas las preguntas de estas categorías se suman al conjunto,",
        "Todas las preguntas de estas categorías se suman al banco de preguntas del cuestionario,",
    ),
    ("Conjunto de preguntas", "Banco de preguntas del cuestionario"),
    (
        "Ninguno: todas las personas a las que puedes dar seguimiento.",
        "Ninguno: todas las personas a las que puede dar seguimiento.",
    ),
    ("Todas tus descargas", "Todas sus descargas"),
    ("No puedes inscribirte en este curso.", "No puede inscribirse en este curso."),
    ("Déjalo vacío", "Déjelo vacío"),
    ("Inténtalo de nuevo", "Inténtelo de nuevo"),
    ("Regresa e inténtalo de nuevo.", "Regrese e inténtelo de nuevo."),
    ("Ya usaste todos", "Ya usó todos"),
    ("no es tuyo", "no es suyo"),
    ("solo cuentan las respuestas que guardaste", "solo cuentan las respuestas que guardó"),
    ("; ejecuta primero", "; ejecute primero"),
]
WORDS = [
    ("tú", "usted"),
    ("Tú", "Usted"),
    ("tu", "su"),
    ("Tu", "Su"),
    ("tus", "sus"),
    ("Tus", "Sus"),
    ("Te queda", "Le queda"),
    ("Te quedan", "Le quedan"),
    ("tienes", "tiene"),
    ("puedes", "puede"),
    ("Puedes", "Puede"),
    ("estás", "está"),
    ("Ya estás", "Ya está"),
    ("debes", "debe"),
    ("necesitas", "necesita"),
    ("Completaste", "Completó"),
    ("completaste", "completó"),
    ("Aprobaste", "Aprobó"),
    ("aprobaste", "aprobó"),
    ("No estás inscrito", "No está inscrito"),
    ("Todavía no estás inscrito", "Todavía no está inscrito"),
    ("Ya completaste", "Ya completó"),
    ("Ya aprobaste", "Ya aprobó"),
    ("calificación aprobatoria", "calificación mínima"),
    ("Calificación aprobatoria", "Calificación mínima"),
    ("dependencias", "instituciones"),
    ("Dependencias", "Instituciones"),
    ("dependencia", "institución"),
    ("Dependencia", "Institución"),
]


def rewrite(text):
    for old, new in PHRASES:
        text = text.replace(old, new)
    for old, new in WORDS:
        text = re.sub(W + re.escape(old) + E, new, text)
    return text


def wrap(prefix, s):
    """gettext-style: one line if it fits in 79 columns, else '""' then lines of <= 77."""
    one = f'{prefix} "{s}"'
    if len(one) <= 79 and "\\n" not in s[:-2]:
        return [one]
    lines = [f'{prefix} ""']
    chunk = ""
    tokens = re.findall(r"\S+\s*|\s+", s)
    for tok in tokens:
        if len(chunk) + len(tok) > 77 and chunk:
            lines.append(f'"{chunk}"')
            chunk = ""
        chunk += tok
    if chunk:
        lines.append(f'"{chunk}"')
    return lines


def main(path):
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    out = []
    i = 0
    changed = 0
    head = re.compile(r'^(msgstr(?:\[\d\])?)\s+"(.*)"$')
    while i < len(lines):
        m = head.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        prefix, first = m.group(1), m.group(2)
        j = i + 1
        parts = [first]
        while j < len(lines) and lines[j].startswith('"'):
            parts.append(lines[j][1:-1])
            j += 1
        joined = "".join(parts)
        new = rewrite(joined)
        if new != joined and joined:
            changed += 1
            out.extend(wrap(prefix, new))
        else:
            out.extend(lines[i:j])
        i = j
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(out))
    sys.stdout.write(f"changed {changed}\n")


if __name__ == "__main__":
    main(sys.argv[1])
