variable "project_id" {
  type        = string
  description = "The Google Cloud project of the repository."
}

variable "location" {
  type        = string
  description = "The repository's region: the cluster's, so pulls stay in-region (the image name starts <location>-docker.pkg.dev)."
}

variable "repository_id" {
  type        = string
  description = "The repository's name, the path segment after the project in the image names of docker/k8s/kustomization.yaml (coditect)."
  default     = "coditect"

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", var.repository_id))
    error_message = "A repository id is lower-case letters, digits and dashes, starting with a letter."
  }
}

variable "readers" {
  type        = map(string)
  description = "IAM members that pull images, by a fixed key (keys must be known at plan time; the emails need not be), e.g. { nodes = \"serviceAccount:...\" }."
  default     = {}
}

variable "builders" {
  type        = map(string)
  description = "IAM members that build and push images (Cloud Build's account), by a fixed key: writers of the repository, readers of the build sources bucket."
  default     = {}
}

variable "keep_recent_versions" {
  type        = number
  description = "How many of the newest versions of each image are never cleaned up."
  default     = 10

  validation {
    condition     = var.keep_recent_versions >= 1 && floor(var.keep_recent_versions) == var.keep_recent_versions
    error_message = "keep_recent_versions is a whole number, at least 1."
  }
}

variable "untagged_retention_days" {
  type        = number
  description = "Days an untagged image (a superseded build cache) is kept before cleanup deletes it."
  default     = 14

  validation {
    condition     = var.untagged_retention_days >= 1 && floor(var.untagged_retention_days) == var.untagged_retention_days
    error_message = "untagged_retention_days is a whole number of days, at least 1."
  }
}

variable "build_sources_bucket_name" {
  type        = string
  description = "The bucket `gcloud builds submit` stages sources in; null names it <project_id>-coditect-build-sources."
  default     = null
}

variable "build_sources_retention_days" {
  type        = number
  description = "Days an uploaded build source is kept."
  default     = 7

  validation {
    condition     = var.build_sources_retention_days >= 1 && floor(var.build_sources_retention_days) == var.build_sources_retention_days
    error_message = "build_sources_retention_days is a whole number of days, at least 1."
  }
}

variable "labels" {
  type        = map(string)
  description = "Labels for the repository and the build sources bucket, for cost reports."
  default     = {}
}
