from django.urls import path

from trading_strategy.datasets import views

app_name = "datasets"

urlpatterns = [
    path("datasets", views.dataset_list, name="list"),
    path("datasets/upload", views.upload_dataset, name="upload"),
    path("datasets/<int:dataset_id>/delete", views.delete_dataset, name="delete"),
]
