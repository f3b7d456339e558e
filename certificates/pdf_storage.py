"""Moving certificate PDFs stored before they were private.

Certificate PDFs used to be written to the default (public media) storage,
which the nginx recipe of deploy/ serves under ``/media/``. They now live in
the private storage (``STORAGES["private"]``), reached only through the
permission-checked download view. ``move_pdfs_to_private`` moves the files
left in the default storage; the data migration
``0003_certificate_pdf_private_storage`` and the command
``move_certificate_pdfs`` both call it.

Idempotent: a PDF already in the private storage is left alone (its copy
in the default storage, if one is left by an interrupted run, is removed),
so running it again, or beside a live site, moves nothing twice. The file
keeps its name, so the row does not change; if the private storage had to
pick another name, only ``pdf`` is updated (``QuerySet.update``: issued
certificates are otherwise immutable).
"""

import hashlib

from django.core.files.storage import storages


def file_sha256(storage, name):
    """SHA-256 (hex) of the file ``name`` in ``storage``, read in chunks."""
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def move_pdfs_to_private(certificate_model, log=None):
    """Move every certificate PDF still in the default storage to the
    private one. Returns ``(moved, already_private, missing)`` counts."""
    public = storages["default"]
    private = storages["private"]
    moved = already = missing = 0
    rows = certificate_model.objects.exclude(pdf="").values_list("pk", "pdf", "sha256")
    for pk, name, sha256 in rows.iterator(chunk_size=200):
        in_private = private.exists(name)
        in_public = public.exists(name)
        if in_private:
            already += 1
            if in_public and file_sha256(public, name) == file_sha256(private, name):
                public.delete(name)
            continue
        if not in_public:
            missing += 1
            if log:
                log(f"Missing PDF for certificate {pk}: {name}")
            continue
        with public.open(name, "rb") as handle:
            stored = private.save(name, handle)
        if sha256 and file_sha256(private, stored) != sha256:
            private.delete(stored)
            raise RuntimeError(f"The copy of {name} does not match its recorded SHA-256; nothing removed.")
        if stored != name:
            certificate_model.objects.filter(pk=pk).update(pdf=stored)
        public.delete(name)
        moved += 1
    return moved, already, missing
