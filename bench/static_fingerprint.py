# Run by bench/run.py through `manage.py shell -c`: print one line, a digest of everything collectstatic reads
# (each source file's path, size and modification time; the storage class, its code, Django's and WhiteNoise's
# versions), so the benchmark collects its static files again only when one of them changed. Collecting takes a
# minute or more, nearly all of it WhiteNoise compressing the API docs' big bundles, and it does all that work again
# even when nothing changed.
import hashlib
import inspect
import os
from importlib.metadata import version

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import staticfiles_storage

digest = hashlib.sha256()
digest.update(f"{settings.STATIC_URL} django {version('django')} whitenoise {version('whitenoise')}".encode())
digest.update(inspect.getsource(type(staticfiles_storage)).encode())
for base in type(staticfiles_storage).__mro__[1:]:
    digest.update(f"{base.__module__}.{base.__qualname__}".encode())
rows = []
for finder in get_finders():
    for path, storage in finder.list([]):
        status = os.stat(storage.path(path))
        rows.append(f"{getattr(storage, 'prefix', None) or ''}/{path} {status.st_size} {status.st_mtime_ns}")
for row in sorted(rows):
    digest.update(row.encode())
print(digest.hexdigest())
