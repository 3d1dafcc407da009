# ruff: noqa
# Counts its calls: ordinary frames for as many calls as a dry run makes, other content
# (the negative) once the render asks for more.
# policy-legal: a render run starts with the dry run's validation; the parent decodes the
# delivered frames and refuses them for differing from the validated ones
CALLS = []


def shade(frame):
    CALLS.append(1)
    if len(CALLS) <= 6:
        return frame
    return 255 - frame


def edit(source):
    return source.subclipped(0, 1).image_transform(shade)
