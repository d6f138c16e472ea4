"""Sign-in pages and the authentication backend.

``SigninForm`` is Django's login form with the guessing limiter of ``core.signin`` in front of
the password check; the login page shows its translated message when the account or the
address is blocked. The admin site's login form gets the same limiter (``CoreConfig.ready``).

``SigninBackend`` is Django's ``ModelBackend`` except for two things:
- a pupil's login-card secret (hashed by ``core.hashers.CardSecretHasher``) is checked as it is
  and never "upgraded" to the slow staff hasher, which Django would otherwise do at the first
  sign-in (``check_password`` re-hashes anything not hashed by the first hasher);
- an unknown username costs a card-secret check, not a slow hash: usernames follow a pattern
  anyway, and the limiter, not the hasher, bounds the guesses.
A wrong password ends the search (``PermissionDenied``), so ``ModelBackend``, kept in
``AUTHENTICATION_BACKENDS`` only so that sessions it signed in stay valid, never checks the
same password a second time.
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model, hashers
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.views.decorators.debug import sensitive_variables

from core.errors import NotAuthenticated, RateLimited
from core.hashers import CardSecretHasher, is_card_hash
from core.signin import signin_authenticate


class SigninBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            CardSecretHasher().encode(password, CardSecretHasher().salt())  # the same cost as a pupil
            raise PermissionDenied from None
        if is_card_hash(user.password):
            ok = hashers.check_password(password, user.password)  # no setter: the card hash stays
        else:
            ok = user.check_password(password)
        if ok and self.user_can_authenticate(user):
            return user
        raise PermissionDenied


class SigninFormMixin:
    """The limiter in front of a Django login form's password check."""

    @sensitive_variables()
    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = signin_authenticate(self.request, username=username, password=password)
            except RateLimited as exc:
                raise ValidationError(str(exc.message), code="rate_limited") from exc
            except NotAuthenticated as exc:
                raise self.get_invalid_login_error() from exc
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class SigninForm(SigninFormMixin, AuthenticationForm):
    pass


class AdminSigninForm(SigninFormMixin, AdminAuthenticationForm):
    pass


class SigninView(LoginView):
    form_class = SigninForm
