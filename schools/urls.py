from django.urls import path

from schools.views import imports, pages, register

app_name = "schools"

urlpatterns = [
    path("", pages.home, name="home"),
    path("classes/", pages.classes, name="classes"),
    path("classes/<int:pk>/", pages.class_detail, name="class"),
    path("classes/<int:pk>/students/", pages.class_students, name="class_students"),
    path("students/<int:pk>/consent/", pages.student_consent, name="student_consent"),
    path("import/", imports.import_page, name="import"),
    path("my-school/", pages.my_school, name="my_school"),
    path("school/<str:code>/", pages.school_detail, name="school"),
    path("registrations/<int:pk>/review/", pages.registration_review, name="registration_review"),
    path("regions/", pages.regions, name="regions"),
    path("me/", pages.me, name="me"),
    path("register/", register.register, name="register"),
]
