"""Hostile and odd requests against real gunicorn (``make run``'s config: 2 workers, threads).

Every case must get a JSON answer with its code (never a 5xx, never a traceback or a path),
rejections within a few seconds, and leave the server as it was: /api/health 200, the same
worker processes, nothing in uploads/, no partial render in outputs/, and /api/stats counted
the upload exactly once (and its success, if any). The tests of test_server_state.py check the workers' peak
memory and that the log shows no crash and exactly the uploads /api/stats counted. Every test
stands alone: none counts on what another one sent.

Decisions the issue left open (README "Limits and failure behaviour"):
- a truncated JPEG renders the rows that decode; a truncated PNG is 422 CORRUPT_IMAGE;
- an image more than 32 times longer than wide (20000x10) is 422 IMAGE_TOO_LARGE;
- a GIF header followed by anything else (PHP) is 422 CORRUPT_IMAGE: it claims a format
  we take, so it is a damaged image rather than a wrong format;
- a Range header that is not one well-formed byte range is ignored (200, whole video).
"""
