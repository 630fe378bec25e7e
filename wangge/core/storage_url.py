"""STORAGE_URL: where uploaded and generated files live when it is not the local MEDIA_ROOT.

    s3://ACCESS_KEY:SECRET_KEY@HOST[:PORT]/BUCKET[?region=…&secure=0&expire=300]

points the default storage at an S3-compatible object store (a government data centre's MinIO, Ceph
RGW, OSS or COS through its S3 interface) via django-storages. Objects are private: nothing is
served from a public URL; the app reads each file through its permission check and streams it
(photos, attachments, briefs). `expire` bounds any signed URL django-storages makes (seconds).
Secrets in the URL are percent-encoded (a `/` in a key is `%2F`)."""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def storage_from_url(url: str) -> dict:
    """The STORAGES["default"] entry for `url` (ImproperlyConfigured names what is wrong)."""
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(f"STORAGE_URL: unknown scheme {parts.scheme!r} (only s3:// is supported)")
    bucket = parts.path.strip("/")
    if not bucket or "/" in bucket:
        raise ImproperlyConfigured("STORAGE_URL: give the bucket as the path, s3://KEY:SECRET@HOST/BUCKET")
    if not parts.username or parts.password is None:
        raise ImproperlyConfigured("STORAGE_URL: give the access key and secret, s3://KEY:SECRET@HOST/BUCKET")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    secure = query.get("secure", "1").lower() not in ("0", "false", "no")
    options = {
        "bucket_name": bucket,
        "access_key": unquote(parts.username),
        "secret_key": unquote(parts.password),
        "region_name": query.get("region", "us-east-1"),
        "default_acl": "private",  # never public: every read goes through the app's check
        "querystring_auth": True,
        "querystring_expire": int(query.get("expire", "300")),
        "file_overwrite": False,  # a second file of the same name gets its own, like the disk storage
        "signature_version": "s3v4",
        "addressing_style": "path",  # works on every S3-compatible server, no wildcard DNS needed
    }
    if parts.hostname:
        port = f":{parts.port}" if parts.port else ""
        options["endpoint_url"] = f"{'https' if secure else 'http'}://{parts.hostname}{port}"
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
