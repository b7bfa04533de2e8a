output "name" {
  description = "The cluster's name, for `gcloud container clusters get-credentials`."
  value       = google_container_cluster.this.name
}

output "location" {
  description = "The cluster's region."
  value       = google_container_cluster.this.location
}

output "endpoint" {
  description = "The control plane's address, for the kubernetes provider."
  value       = google_container_cluster.this.endpoint
}

output "ca_certificate" {
  description = "The control plane's CA certificate, base64-encoded, for the kubernetes provider."
  value       = google_container_cluster.this.master_auth[0].cluster_ca_certificate
}

output "workload_pool" {
  description = "The Workload Identity pool, <project>.svc.id.goog, for the bindings of modules/identities (read from the cluster so they wait for it)."
  value       = google_container_cluster.this.workload_identity_config[0].workload_pool
}

output "node_service_account_email" {
  description = "The nodes' Google service account: it pulls the images, so it reads the image repository."
  value       = google_service_account.nodes.email
}
