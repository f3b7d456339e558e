"""The two authoring tasks of issue 13 as an instructor does them in the
Wagtail admin, each action counted (a click, a typed field, a chosen
option). Used by tests/e2e/test_authoring.py; runnable against any server."""

import re
from dataclasses import dataclass, field

from playwright.sync_api import expect

LESSON = {
    "title_en": "Declaring tools of the trade",
    "title_es": "Cómo declarar las herramientas de trabajo",
    "body_en": "Professional tools leaving the country are declared to CBP.",
    "body_es": "Las herramientas profesionales que salen del país se declaran ante la CBP.",
}
QUESTION = {
    "text_en": "Who receives the declaration of professional tools leaving the U.S.?",
    "text_es": "¿Quién recibe la declaración de herramientas profesionales que salen de EE. UU.?",
    "right": ("CBP at the port of exit", "La CBP en el puerto de salida"),
    "wrong": ("The buyer's bank", "El banco del comprador"),
}


# Set on every page before its scripts run: Wagtail's unsaved-changes
# controller says when it starts watching the form for edits.
WATCH_EDITS = "document.addEventListener('w-unsaved:watch-edits', () => { window.lmsEditsWatched = true; });"


@dataclass
class Counter:
    actions: list = field(default_factory=list)

    def __call__(self, what):
        self.actions.append(what)

    def __len__(self):
        return len(self.actions)


def create_bilingual_lesson(page, base_url, module_id, count, screenshots=None):
    """From the module's page in the explorer to a published lesson, previewed
    in English and Spanish on the way. Returns the preview texts seen."""
    page.add_init_script(WATCH_EDITS)
    page.goto(f"{base_url}/admin/pages/{module_id}/")
    page.get_by_role("link", name="Add child page").first.click()
    count("add child page")
    page.get_by_role("link", name="Lesson", exact=True).click()
    count("choose Lesson")
    # The editor notices changes only once it has taken its first look at the
    # form (2 s after it loads); a person never types faster than that.
    page.wait_for_function("window.lmsEditsWatched === true", timeout=15000)
    page.fill("#id_title_en", LESSON["title_en"])
    count("type English title")
    _add_text_block(page, "body_en", LESSON["body_en"], count)
    page.locator("button.locale-toggle", has_text="ES").click()
    count("show Spanish fields")
    page.fill("#id_title_es", LESSON["title_es"])
    count("type Spanish title")
    _add_text_block(page, "body_es", LESSON["body_es"], count)
    wait_for_autosave(page)
    page.get_by_role("button", name="Toggle preview").click()
    count("open preview")
    # Wagtail loads a new iframe beside the old one, then swaps them.
    expect(preview_frame(page, "en").locator("h1")).to_have_text(LESSON["title_en"], timeout=15000)
    if screenshots:
        page.screenshot(path=f"{screenshots}/preview-en.png")
    page.select_option("select#id_preview_mode", "es")
    count("preview in Spanish")
    expect(preview_frame(page, "es").locator("h1")).to_have_text(LESSON["title_es"], timeout=15000)
    if screenshots:
        page.screenshot(path=f"{screenshots}/preview-es.png")
    slug_es = page.input_value("#id_slug_es")
    wait_for_autosave(page)
    page.get_by_role("button", name="More actions").click()
    count("open publish menu")
    page.get_by_role("button", name="Publish").click()
    count("publish")
    expect(page.locator(".messages")).to_contain_text("published", timeout=15000)
    return slug_es


def wait_for_autosave(page):
    """Wagtail 8 autosaves the editor 500 ms after a change. The first autosave
    of a new page creates it, moves the form to the page's edit URL and then
    re-renders the side panels (the preview's mode goes back to the default).
    A person sees the "Saved" tick before going on; so does this flow, or a
    mode chosen during that re-render is lost and a Publish sent to the old
    create URL makes a second page with the same slug. On a server with
    autosave off (WAGTAIL_AUTOSAVE_INTERVAL = 0) there is nothing to wait
    for."""
    if not page.locator("#w-autosave-indicator").count():
        return
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"), timeout=15000)
    expect(page.locator("#w-autosave-indicator")).to_have_attribute(
        "data-w-autosave-state-value", "saved", timeout=15000
    )


def preview_frame(page, mode):
    return page.frame_locator(f"iframe.w-preview__iframe[src*='mode={mode}']").last


def _add_text_block(page, field_name, text, count):
    panel = page.locator(f"[data-contentpath='{field_name}'], #panel-child-content-{field_name}-section").first
    panel.locator("button.c-sf-add-button").first.click()
    count(f"add block to {field_name}")
    page.get_by_role("option", name="Text").first.click()
    count("choose Text block")
    editor = panel.locator("[contenteditable=true]").first
    editor.click()
    editor.type(text)
    count(f"type {field_name}")


def add_question_to_category(page, base_url, category_name, count, screenshots=None):
    """From the admin dashboard to a saved bilingual question in ``category_name``."""
    page.goto(f"{base_url}/admin/")
    page.get_by_role("button", name="Question bank").click()
    count("open Question bank menu")
    page.get_by_role("link", name="Questions").click()
    count("Questions")
    page.get_by_role("link", name="Add question").first.click()
    count("Add question")
    page.locator("button.locale-toggle", has_text="ES").click()
    count("show Spanish fields")
    page.fill("#id_text_en", QUESTION["text_en"])
    count("type English question")
    page.fill("#id_text_es", QUESTION["text_es"])
    count("type Spanish question")
    page.get_by_role("button", name="Choose a question category").click()
    count("open category chooser")
    page.get_by_role("link", name=category_name).click()
    count("pick category")
    for index, (en, es) in enumerate((QUESTION["right"], QUESTION["wrong"])):
        page.fill(f"#id_choices-{index}-text_en", en)
        count(f"choice {index + 1} English")
        page.fill(f"#id_choices-{index}-text_es", es)
        count(f"choice {index + 1} Spanish")
    page.check("#id_choices-0-is_correct")
    count("mark right choice")
    if screenshots:
        page.screenshot(path=f"{screenshots}/question-form.png", full_page=True)
    page.get_by_role("button", name="Save").first.click()
    count("save")
    expect(page.locator(".messages")).to_contain_text("created", timeout=15000)
