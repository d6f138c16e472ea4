from django.urls import path

from schools.api import imports, public, registrations, staff

app_name = "schools-api"

urlpatterns = [
    # Public lists for self-registration.
    path("regions/", public.RegionListApi.as_view(), name="regions"),
    path("regions/<str:code>/schools/", public.CommuneSchoolsApi.as_view(), name="commune-schools"),
    path("schools/<str:code>/classes/", public.SchoolClassesPublicApi.as_view(), name="school-classes-public"),
    path("register/", public.RegistrationSubmitApi.as_view(), name="register"),
    # Scoped.
    path("schools/", staff.SchoolListApi.as_view(), name="schools"),
    path("schools/<str:code>/", staff.SchoolDetailApi.as_view(), name="school"),
    path("schools/<str:code>/members/", staff.MemberListApi.as_view(), name="school-members"),
    path("classes/", staff.ClassListApi.as_view(), name="classes"),
    path("classes/<int:pk>/students/", staff.ClassStudentsApi.as_view(), name="class-students"),
    path("classes/<int:pk>/teachers/", staff.ClassTeacherAddApi.as_view(), name="class-teachers"),
    path("classes/<int:pk>/login-cards.pdf", staff.LoginCardsApi.as_view(), name="class-cards"),
    path("students/me/", staff.MyStudentApi.as_view(), name="my-student"),
    path("students/<int:pk>/", staff.StudentDetailApi.as_view(), name="student"),
    path("students/<int:pk>/consent/", staff.StudentConsentApi.as_view(), name="student-consent"),
    path("registrations/", registrations.RegistrationListApi.as_view(), name="registrations"),
    path("registrations/<int:pk>/verify/", registrations.RegistrationVerifyApi.as_view(), name="registration-verify"),
    path("registrations/<int:pk>/reject/", registrations.RegistrationRejectApi.as_view(), name="registration-reject"),
    path("imports/", imports.ImportCreateApi.as_view(), name="imports"),
    path("imports/<int:pk>/", imports.ImportDetailApi.as_view(), name="import"),
    path("imports/<int:pk>/advance/", imports.ImportAdvanceApi.as_view(), name="import-advance"),
]
