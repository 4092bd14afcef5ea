from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from accounts.forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "giris/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("cikis/", auth_views.LogoutView.as_view(), name="logout"),
    path("kayit/", views.register, name="register"),
    path("kayit/e-posta/", views.register_done, name="register-done"),
    path("dogrulama/yeniden-gonder/", views.resend_confirmation, name="resend-confirmation"),
    path("dogrulama/<str:token>/", views.confirm_email, name="confirm-email"),
    path("parola/sifirla/", views.password_reset, name="password-reset"),
    path("parola/sifirla/gonderildi/", views.password_reset_done, name="password-reset-done"),
    path("parola/sifirla/tamam/", views.password_reset_complete, name="password-reset-complete"),
    path("parola/sifirla/<uidb64>/<token>/", views.password_reset_confirm, name="password-reset-confirm"),
    path("parola/degistir/", views.password_change, name="password-change"),
    path("parola/degistir/tamam/", views.password_change_done, name="password-change-done"),
]
