# ruff: noqa
# Every path-taking reader, called directly (jail test: the policy and harness are out of
# the way). Each must fail to find the host file; the test swaps PARTS for other targets.
from moviepy import ImageClip, TextClip, VideoFileClip

PARTS = ["etc", "passwd"]


def edit(source):
    path = "/" + "/".join(PARTS)
    errors = []
    for reader in (
        lambda: TextClip(filename=path),
        lambda: TextClip(font=path, text="a"),
        lambda: ImageClip(path),
        lambda: VideoFileClip(path),
        lambda: open(path).read(),
    ):
        try:
            reader()
            errors.append("READ")
        except Exception as exc:
            errors.append(type(exc).__name__)
    raise RuntimeError("readers: " + " ".join(errors))
