# The workspaces' bucket: every workspace's replica (databases and files) under
# <workspace_prefix>/<id>/, mounted into its pod by the GCS FUSE CSI driver (docker/k8s/statefulset.yaml)
# and written by the fleet when it archives a deleted workspace (docs/fleet.md).

locals {
  # The replica's generations: a base image and its WAL segments, by far the largest objects and the
  # only ones worth a colder class (workspace-backend/src/replication/generation.ts).
  generation_suffixes = [".snapshot", ".segment"]
  workspace_prefix    = "${var.workspace_prefix}/"
}

resource "google_storage_bucket" "workspaces" {
  project       = var.project_id
  name          = var.name
  location      = var.location
  storage_class = "STANDARD"
  labels        = var.labels

  # IAM only, no per-object ACLs: access is granted per service account on the bucket (modules/identities).
  uniform_bucket_level_access = true
  # People's code and data: never public, whatever an IAM binding says.
  public_access_prevention = "enforced"
  # A bucket holding workspaces must be emptied on purpose, never by a `terraform destroy`.
  force_destroy = false

  # A deleted or overwritten object stays recoverable for delete_noncurrent_after_days: a bug in the
  # studio's retention or a mistaken `gcloud storage rm` does not lose a workspace.
  versioning {
    enabled = true
  }

  # docker/k8s/gcs-lifecycle.json, as Terraform: generations older than nearline_after_days are rarely
  # read (a restore reads the newest), so they move to Nearline.
  lifecycle_rule {
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
    condition {
      age                   = var.nearline_after_days
      with_state            = "LIVE"
      matches_storage_class = ["STANDARD"]
      matches_prefix        = [local.workspace_prefix]
      matches_suffix        = local.generation_suffixes
    }
  }

  # The same for generations the studio's retention deleted (noncurrent under versioning). Limited to
  # generation files: the small objects rewritten every few seconds (lease.json, files/index/) would
  # cost more in transition operations than Nearline saves.
  lifecycle_rule {
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
    condition {
      days_since_noncurrent_time = var.nearline_after_days
      with_state                 = "ARCHIVED"
      matches_storage_class      = ["STANDARD"]
      matches_prefix             = [local.workspace_prefix]
      matches_suffix             = local.generation_suffixes
    }
  }

  # The end of the recovery window for anything deleted or overwritten.
  lifecycle_rule {
    action {
      type = "Delete"
    }
    condition {
      days_since_noncurrent_time = var.delete_noncurrent_after_days
      with_state                 = "ARCHIVED"
    }
  }

  # Objects rewritten in place (the replica lease, the file index) pile up a version per write; only
  # the last few are ever useful. A deleted object has no newer version, so this never shortens the
  # window above for deleted generations.
  lifecycle_rule {
    action {
      type = "Delete"
    }
    condition {
      # The live version counts as a newer one: K kept older versions means K + 1 newer.
      num_newer_versions = var.noncurrent_versions_kept + 1
      with_state         = "ARCHIVED"
    }
  }

  lifecycle {
    # Destroying it would delete every workspace's only off-node copy.
    prevent_destroy = true

    precondition {
      condition     = var.delete_noncurrent_after_days > var.nearline_after_days
      error_message = "delete_noncurrent_after_days must exceed nearline_after_days, or noncurrent generations are deleted before they ever reach Nearline."
    }
  }
}
