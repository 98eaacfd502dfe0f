from api.errors import status_for
from ragline import errors


def test_each_domain_error_has_its_status() -> None:
    assert status_for(errors.FileTooLarge("x")) == 413
    assert status_for(errors.UnsupportedFileType("x")) == 415
    assert status_for(errors.EmptyFile("x")) == 422
    assert status_for(errors.NotFound("x")) == 404
    assert status_for(errors.Conflict("x")) == 409
    assert status_for(errors.AuthenticationError("x")) == 401
    assert status_for(errors.PermissionDenied("x")) == 403
    assert status_for(errors.VectorStoreUnavailable("x")) == 503


def test_an_unlisted_subclass_takes_its_parents_status() -> None:
    class Oversize(errors.FileTooLarge):
        pass

    assert status_for(Oversize("x")) == 413
