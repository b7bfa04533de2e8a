output "cluster_name" {
  description = "The GKE cluster."
  value       = module.cluster.name
}

output "get_credentials_command" {
  description = "Points kubectl at the cluster, for the steps after apply."
  value       = "gcloud container clusters get-credentials ${module.cluster.name} --region ${module.cluster.location} --project ${var.project_id}"
}

output "bucket_name" {
  description = "The workspace bucket."
  value       = module.bucket.name
}

output "bucket_url" {
  description = "The workspace bucket as FLEET_BUCKET_URL."
  value       = module.bucket.url
}

output "registry_url" {
  description = "docker/cloudbuild.yaml's _REGISTRY."
  value       = module.registry.repository_url
}

output "studio_image" {
  description = "The studio image new workspaces run."
  value       = "${module.registry.repository_url}/studio:${var.studio_image_tag}"
}

output "fleet_image" {
  description = "The fleet's image."
  value       = "${module.registry.repository_url}/fleet:${var.fleet_image_tag}"
}

output "workspace_service_account" {
  description = "The workspace pods' Google service account."
  value       = module.identities.workspace_service_account_email
}

output "fleet_service_account" {
  description = "The fleet's Google service account."
  value       = module.identities.fleet_service_account_email
}

output "namespace" {
  description = "Where the fleet, its workspaces and the Secrets made after apply live."
  value       = module.fleet.namespace
}

output "workspace_url_prefix" {
  description = "A workspace opens at <this>/<id>/."
  value       = module.fleet.base_url
}

output "studio_build_command" {
  description = "Builds and pushes the studio image with Cloud Build, as the build account."
  value       = "gcloud builds submit --project ${var.project_id} --region ${var.region} --config docker/cloudbuild.yaml --service-account ${module.identities.build_service_account_id} --gcs-source-staging-dir gs://${module.registry.build_sources_bucket}/source --substitutions _REGISTRY=${module.registry.repository_url} ."
}
