"""Where meeting attachments are stored: PRIVATE_MEDIA_ROOT, outside the static and media roots
(settings refuses an overlap). The location is read from the settings on every use, so a test
or a deployment that changes the setting is obeyed without re-importing the models."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        # No URL: files leave only through the download view.
        return None


private_storage = PrivateStorage()
