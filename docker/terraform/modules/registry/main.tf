# Where the studio and fleet images live: <location>-docker.pkg.dev/<project>/<repository_id>/studio
# and .../fleet, the names docker/k8s/kustomization.yaml, docker/k8s/fleet/kustomization.yaml and
# docker/cloudbuild.yaml (_REGISTRY) use.

resource "google_artifact_registry_repository" "images" {
  project       = var.project_id
  location      = var.location
  repository_id = var.repository_id
  format        = "DOCKER"
  description   = "CODITECT studio and fleet images (docker/cloudbuild.yaml)."
  labels        = var.labels

  # Every build pushes a multi-gigabyte studio image and its build-cache image; without cleanup the
  # repository grows by both on every commit.
  cleanup_policy_dry_run = false

  # Keep policies win over delete ones: the newest images (the one running included, when the fleet
  # runs a recent build) are never collected.
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = var.keep_recent_versions
    }
  }

  # Superseded build-cache images lose their only tag at the next build and are never pulled again.
  cleanup_policies {
    id     = "delete-old-untagged"
    action = "DELETE"
    condition {
      tag_state  = "UNTAGGED"
      older_than = "${var.untagged_retention_days}d"
    }
  }
}

# Pulls: the node service account pulls images for the kubelet (Workload Identity does not apply to
# image pulls). Granted on this repository, not on the project's registry.
resource "google_artifact_registry_repository_iam_member" "readers" {
  for_each = var.readers

  project    = google_artifact_registry_repository.images.project
  location   = google_artifact_registry_repository.images.location
  repository = google_artifact_registry_repository.images.name
  role       = "roles/artifactregistry.reader"
  member     = each.value
}

# Pushes: the build account (modules/identities). Writer includes the pulls of the cache steps.
resource "google_artifact_registry_repository_iam_member" "builders" {
  for_each = var.builders

  project    = google_artifact_registry_repository.images.project
  location   = google_artifact_registry_repository.images.location
  repository = google_artifact_registry_repository.images.name
  role       = "roles/artifactregistry.writer"
  member     = each.value
}

# `gcloud builds submit` uploads the source to a bucket the build then reads. Its default bucket
# (<project>_cloudbuild) is created by the first submit, too late to grant on; this one exists first,
# and the build account reads this bucket alone. Sources are useless once built.
resource "google_storage_bucket" "build_sources" {
  project                     = var.project_id
  name                        = coalesce(var.build_sources_bucket_name, "${var.project_id}-coditect-build-sources")
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  # Only build inputs, which any later submit uploads again.
  force_destroy = true
  labels        = var.labels

  lifecycle_rule {
    action {
      type = "Delete"
    }
    condition {
      age = var.build_sources_retention_days
    }
  }
}

resource "google_storage_bucket_iam_member" "build_sources_readers" {
  for_each = var.builders

  bucket = google_storage_bucket.build_sources.name
  role   = "roles/storage.objectViewer"
  member = each.value
}
