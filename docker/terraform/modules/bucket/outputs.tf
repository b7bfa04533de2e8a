output "name" {
  description = "The bucket's name: FLEET_BUCKET and the GCS FUSE volume's bucketName."
  value       = google_storage_bucket.workspaces.name
}

output "url" {
  description = "The bucket as an object store URL (FLEET_BUCKET_URL)."
  value       = google_storage_bucket.workspaces.url
}

output "workspace_prefix" {
  description = "The folder above every workspace's folder (FLEET_BUCKET_ROOT)."
  value       = var.workspace_prefix
}
