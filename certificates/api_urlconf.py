"""The URLconf of the verification API without the language-prefixed
patterns. The API view hands it to LocaleMiddleware on a 404, which would
otherwise "fix" /api/certificates/<unknown code>/ into a redirect to
/en/api/certificates/<code>/ (Wagtail's catch-all makes that path look
valid), and a verifier would get a redirect instead of the JSON 404."""

from django.urls import include, path

urlpatterns = [path("api/", include("certificates.api_urls"))]
