variable "project_id" {
  type        = string
  description = "The Google Cloud project that owns the bucket."
}

variable "name" {
  type        = string
  description = "The bucket's name, globally unique. The manifests name it coditect-workspaces (docker/k8s/statefulset.yaml bucketName, FLEET_BUCKET in docker/k8s/fleet/deployment.yaml); the fleet module passes this name on."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", var.name))
    error_message = "A bucket name is 3 to 63 lower-case letters, digits, dots, dashes and underscores, starting and ending with a letter or digit."
  }
}

variable "location" {
  type        = string
  description = "Where the bucket lives: the cluster's region, so GCS FUSE reads and writes stay in-region (lower latency, no inter-region egress)."
}

variable "workspace_prefix" {
  type        = string
  description = "The folder above every workspace's folder (FLEET_BUCKET_ROOT); the lifecycle rules apply under it."
  default     = "workspaces"

  validation {
    condition     = length(var.workspace_prefix) > 0 && !startswith(var.workspace_prefix, "/") && !endswith(var.workspace_prefix, "/")
    error_message = "workspace_prefix is a folder name without leading or trailing slashes, such as \"workspaces\"."
  }
}

variable "nearline_after_days" {
  type        = number
  description = "Days after which replica generations (live ones by age, deleted ones since their deletion) move to Nearline, as in docker/k8s/gcs-lifecycle.json."
  default     = 30

  validation {
    condition     = var.nearline_after_days >= 1 && floor(var.nearline_after_days) == var.nearline_after_days
    error_message = "nearline_after_days is a whole number of days, at least 1."
  }
}

variable "delete_noncurrent_after_days" {
  type        = number
  description = "Days a deleted or overwritten object stays recoverable before it is deleted for good. Nearline bills at least 30 days, so keep it at least nearline_after_days + 30."
  default     = 60

  validation {
    condition     = var.delete_noncurrent_after_days >= 1 && floor(var.delete_noncurrent_after_days) == var.delete_noncurrent_after_days
    error_message = "delete_noncurrent_after_days is a whole number of days, at least 1."
  }
}

variable "noncurrent_versions_kept" {
  type        = number
  description = "How many older versions of an object rewritten in place (the replica lease, the file index) are kept."
  default     = 3

  validation {
    condition     = var.noncurrent_versions_kept >= 0 && floor(var.noncurrent_versions_kept) == var.noncurrent_versions_kept
    error_message = "noncurrent_versions_kept is a whole number, 0 or more."
  }
}

variable "labels" {
  type        = map(string)
  description = "Labels for the bucket, for cost reports."
  default     = {}
}
