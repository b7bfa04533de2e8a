output "workspace_service_account_email" {
  description = "The workspace pods' Google service account: the iam.gke.io/gcp-service-account annotation of their Kubernetes service account."
  value       = google_service_account.workspace.email
}

output "fleet_service_account_email" {
  description = "The fleet's Google service account: the iam.gke.io/gcp-service-account annotation of its Kubernetes service account."
  value       = google_service_account.fleet.email
}

output "build_service_account_email" {
  description = "The account Cloud Build runs as; it is given push rights on the image repository."
  value       = google_service_account.build.email
}

output "build_service_account_id" {
  description = "The build account's full resource name, for `gcloud builds submit --service-account`."
  value       = google_service_account.build.id
}
