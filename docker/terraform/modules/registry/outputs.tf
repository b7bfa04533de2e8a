output "repository_url" {
  description = "The image name prefix, <location>-docker.pkg.dev/<project>/<repository_id>: docker/cloudbuild.yaml's _REGISTRY."
  value       = "${google_artifact_registry_repository.images.location}-docker.pkg.dev/${google_artifact_registry_repository.images.project}/${google_artifact_registry_repository.images.repository_id}"
}

output "build_sources_bucket" {
  description = "Where `gcloud builds submit --gcs-source-staging-dir` uploads the source."
  value       = google_storage_bucket.build_sources.name
}
