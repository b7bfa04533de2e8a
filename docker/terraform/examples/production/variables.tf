variable "project_id" {
  type        = string
  description = "The Google Cloud project everything is created in."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "A project id is 6 to 30 lower-case letters, digits and dashes, starting with a letter."
  }
}

variable "region" {
  type        = string
  description = "The region of the cluster, the bucket and the image repository, kept together so GCS FUSE and image pulls stay in-region. us-central1 is docker/cloudbuild.yaml's default registry region."
  default     = "us-central1"
}

variable "cluster_name" {
  type        = string
  description = "The GKE cluster's name."
  default     = "coditect"
}

variable "release_channel" {
  type        = string
  description = "The cluster's GKE release channel (RAPID, REGULAR or STABLE)."
  default     = "REGULAR"
}

variable "private_nodes" {
  type        = bool
  description = "Nodes with internal addresses only, and Cloud NAT for the agents' outbound calls. On for production: nothing on the internet reaches a node directly."
  default     = true
}

variable "authorized_networks" {
  type = list(object({
    cidr_block   = string
    display_name = string
  }))
  description = "CIDR ranges allowed to reach the cluster's control plane (include where Terraform and kubectl run); empty leaves it reachable from anywhere, behind Google IAM."
  default     = []
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to destroy the cluster from Terraform."
  default     = true
}

variable "bucket_name" {
  type        = string
  description = "The workspace bucket, globally unique. coditect-workspaces is the name the manifests in docker/k8s use; if taken, pick another (the fleet module passes it to the fleet)."
  default     = "coditect-workspaces"
}

variable "nearline_after_days" {
  type        = number
  description = "Days after which replica generations move to Nearline (docker/k8s/gcs-lifecycle.json)."
  default     = 30
}

variable "delete_noncurrent_after_days" {
  type        = number
  description = "Days a deleted or overwritten object in the workspace bucket stays recoverable."
  default     = 60
}

variable "namespace" {
  type        = string
  description = "The Kubernetes namespace of the fleet and its workspaces, as in docker/k8s/fleet/kustomization.yaml."
  default     = "coditect"
}

variable "studio_image_tag" {
  type        = string
  description = "The studio image's tag for new workspaces: a build id pushed by docker/cloudbuild.yaml, or latest."
  default     = "latest"
}

variable "fleet_image_tag" {
  type        = string
  description = "The fleet image's tag."
  default     = "latest"
}

variable "host" {
  type        = string
  description = "The public host name people open (the ingress host and its TLS certificate's name)."
  default     = "coditect.ai"
}

variable "auth_jwks_url" {
  type        = string
  description = "The identity provider's JWKS URL (STUDIO_AUTH_JWKS_URL)."
  default     = "https://coditect.ai/.well-known/jwks.json"
}

variable "auth_audience" {
  type        = string
  description = "The audience people's tokens must name (STUDIO_AUTH_AUDIENCE)."
  default     = "coditect-studio"
}

variable "idle_minutes" {
  type        = number
  description = "Minutes of no use after which a workspace sleeps (FLEET_IDLE_MINUTES)."
  default     = 30
}

variable "warm_pool" {
  type        = number
  description = "Empty workspaces kept running for instant provisions (FLEET_WARM_POOL)."
  default     = 2
}

variable "v1_url" {
  type        = string
  description = "CODITECT v1 behind the fleet's front door while its users move (FLEET_V1_URL); empty once every user is on v2."
  default     = "http://coditect-v1.coditect-v1.svc.cluster.local:8080"
}

variable "build_submitters" {
  type        = list(string)
  description = "Who may run Cloud Build as the build account, e.g. [\"group:platform@example.com\"]."
  default     = []
}
