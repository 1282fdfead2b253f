from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files, rewriting `import ... from "./x.js"` in our ES modules too."""

    support_js_module_import_aggregation = True
