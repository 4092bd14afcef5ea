"""Celery entry points of onboarding: each calls one function."""

from celery import shared_task


@shared_task(ignore_result=True)
def forget_unused_pdfs() -> int:
    """Periodic: delete the stored PDFs nobody downloaded for a month (onboarding.pdf_store); safe to run twice."""
    from onboarding import pdf_store

    return pdf_store.forget_unused_pdfs()
