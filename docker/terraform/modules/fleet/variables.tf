variable "namespace" {
  type        = string
  description = "The namespace of the fleet and its workspaces (namespace in docker/k8s/fleet/kustomization.yaml; FLEET_NAMESPACE is read from the pod)."
  default     = "coditect"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "A namespace name is up to 63 lower-case letters, digits and dashes."
  }
}

variable "fleet_ksa_name" {
  type        = string
  description = "The fleet's Kubernetes service account (docker/k8s/fleet/serviceaccount.yaml)."
  default     = "coditect-fleet"
}

variable "workspace_ksa_name" {
  type        = string
  description = "The workspace pods' Kubernetes service account, the one the workspace template names (docker/k8s/serviceaccount.yaml)."
  default     = "coditect-studio"
}

variable "fleet_gsa_email" {
  type        = string
  description = "The fleet's Google service account (modules/identities), for its Workload Identity annotation."
}

variable "workspace_gsa_email" {
  type        = string
  description = "The workspace pods' Google service account (modules/identities), for their Workload Identity annotation."
}

variable "fleet_image" {
  type        = string
  description = "The fleet's image, the Dockerfile's fleet target: <registry>/fleet:<tag>."
}

variable "studio_image" {
  type        = string
  description = "The studio image of new workspaces (FLEET_IMAGE): <registry>/studio:<tag>, as docker/cloudbuild.yaml pushes it."
}

variable "bucket_name" {
  type        = string
  description = "The workspace bucket (FLEET_BUCKET; FLEET_BUCKET_URL is gs://<it>)."
}

variable "host" {
  type        = string
  description = "The public host name of the studio: the ingress rule and TLS host, and FLEET_BASE_URL's host."
  default     = "coditect.ai"
}

variable "base_path" {
  type        = string
  description = "The path workspaces open under (FLEET_BASE_URL is https://<host><base_path>; a workspace is <base_path>/<id>/)."
  default     = "/theia"

  validation {
    condition     = startswith(var.base_path, "/") && !endswith(var.base_path, "/")
    error_message = "base_path starts with a slash and does not end with one, such as /theia."
  }
}

variable "auth_jwks_url" {
  type        = string
  description = "The identity provider's JWKS URL (STUDIO_AUTH_JWKS_URL): the fleet checks people's tokens with it, as the studios do."
  default     = "https://coditect.ai/.well-known/jwks.json"
}

variable "auth_audience" {
  type        = string
  description = "The audience the tokens must name (STUDIO_AUTH_AUDIENCE)."
  default     = "coditect-studio"
}

variable "idle_minutes" {
  type        = number
  description = "A workspace nobody uses sleeps after this many minutes (FLEET_IDLE_MINUTES; 0: never)."
  default     = 30

  validation {
    condition     = var.idle_minutes >= 0 && var.idle_minutes <= 10080 && floor(var.idle_minutes) == var.idle_minutes
    error_message = "idle_minutes is a whole number from 0 to 10080 (a week)."
  }
}

variable "warm_pool" {
  type        = number
  description = "How many empty workspaces are kept running for instant provisions (FLEET_WARM_POOL); each costs a running workspace."
  default     = 2

  validation {
    condition     = var.warm_pool >= 0 && var.warm_pool <= 1000 && floor(var.warm_pool) == var.warm_pool
    error_message = "warm_pool is a whole number from 0 to 1000."
  }
}

variable "v1_url" {
  type        = string
  description = "CODITECT v1, which the fleet's front door proxies to while its users move to v2 (FLEET_V1_URL); empty turns the front door and its ingress path off."
  default     = "http://coditect-v1.coditect-v1.svc.cluster.local:8080"
}

variable "v1_path" {
  type        = string
  description = "The v1 front door's path (FLEET_V1_PATH)."
  default     = "/app"

  validation {
    condition     = startswith(var.v1_path, "/") && !endswith(var.v1_path, "/")
    error_message = "v1_path starts with a slash and does not end with one, such as /app."
  }
}

variable "ingress_class_name" {
  type        = string
  description = "The ingress class; the annotations (websocket timeouts, body size) are ingress-nginx's."
  default     = "nginx"
}

variable "tls_secret_name" {
  type        = string
  description = "The Secret holding the host's TLS certificate, made outside Terraform (cert-manager or kubectl) so the key never enters the state."
  default     = "coditect-ai-tls"
}
