variable "project_id" {
  type        = string
  description = "The Google Cloud project of the service accounts."
}

variable "bucket_name" {
  type        = string
  description = "The workspace bucket (modules/bucket) the workspace and fleet accounts may use, and only that bucket."
}

variable "workload_identity_pool" {
  type        = string
  description = "The cluster's Workload Identity pool, <project>.svc.id.goog. Pass the cluster module's output: the pool exists only once a cluster with Workload Identity does, and a binding to a missing pool fails."

  validation {
    condition     = endswith(var.workload_identity_pool, ".svc.id.goog")
    error_message = "A GKE Workload Identity pool is named <project>.svc.id.goog."
  }
}

variable "namespace" {
  type        = string
  description = "The Kubernetes namespace of the fleet and its workspaces (namespace in docker/k8s/kustomization.yaml and docker/k8s/fleet/kustomization.yaml)."
  default     = "coditect"
}

variable "workspace_ksa_name" {
  type        = string
  description = "The workspace pods' Kubernetes service account (docker/k8s/serviceaccount.yaml, serviceAccountName in docker/k8s/statefulset.yaml)."
  default     = "coditect-studio"
}

variable "fleet_ksa_name" {
  type        = string
  description = "The fleet's Kubernetes service account (docker/k8s/fleet/serviceaccount.yaml)."
  default     = "coditect-fleet"
}

variable "workspace_account_id" {
  type        = string
  description = "The workspace pods' Google service account id; the manifests' annotation expects coditect-studio@<project>.iam.gserviceaccount.com."
  default     = "coditect-studio"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.workspace_account_id))
    error_message = "A service account id is 6 to 30 lower-case letters, digits and dashes, starting with a letter."
  }
}

variable "fleet_account_id" {
  type        = string
  description = "The fleet's Google service account id; the manifests' annotation expects coditect-fleet@<project>.iam.gserviceaccount.com."
  default     = "coditect-fleet"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.fleet_account_id))
    error_message = "A service account id is 6 to 30 lower-case letters, digits and dashes, starting with a letter."
  }
}

variable "build_account_id" {
  type        = string
  description = "The Google service account id Cloud Build runs docker/cloudbuild.yaml as."
  default     = "coditect-build"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.build_account_id))
    error_message = "A service account id is 6 to 30 lower-case letters, digits and dashes, starting with a letter."
  }
}

variable "build_submitters" {
  type        = list(string)
  description = "Principals allowed to start builds as the build account, e.g. \"user:alice@example.com\" or \"group:platform@example.com\"."
  default     = []

  validation {
    condition     = alltrue([for member in var.build_submitters : can(regex("^(user|group|serviceAccount|principal|principalSet):", member))])
    error_message = "Each build submitter is an IAM member such as user:alice@example.com or group:platform@example.com."
  }
}
