# The sandbox image of one target repo: a Python base plus pytest, py-spy and the target's
# dependencies. optimizer_agent/sandbox/images.py assembles the build context:
#   oa-requirements.txt  the target's requirement lines (may be empty)
#   oa-ca.crt            a CA bundle for pip behind a TLS-intercepting proxy (may be empty)
# BASE is python:<ver>-slim where a registry answers, else the offline optimizer-agent/base image.
ARG BASE=python:3.11-slim
FROM ${BASE}

ARG INSTALL_DEPS=1
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PIP_BREAK_SYSTEM_PACKAGES=1 \
    PYTHONDONTWRITEBYTECODE=1

COPY oa-requirements.txt oa-ca.crt /opt/optimizer-agent/

# The offline base already has both; python:*-slim gets them from PyPI.
RUN set -e; cd /opt/optimizer-agent; \
    if [ -s oa-ca.crt ]; then export PIP_CERT=/opt/optimizer-agent/oa-ca.crt; fi; \
    python -c "import pytest" 2>/dev/null || python -m pip install "pytest>=7"; \
    command -v py-spy >/dev/null || python -m pip install "py-spy>=0.3.14"

RUN set -e; cd /opt/optimizer-agent; \
    if [ -s oa-ca.crt ]; then export PIP_CERT=/opt/optimizer-agent/oa-ca.crt; fi; \
    if [ "$INSTALL_DEPS" = 1 ] && [ -s oa-requirements.txt ]; then \
        python -m pip install --retries 1 --timeout 20 -r oa-requirements.txt; \
    fi

WORKDIR /work
CMD ["sleep", "infinity"]
