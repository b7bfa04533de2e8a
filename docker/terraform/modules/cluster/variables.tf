variable "project_id" {
  type        = string
  description = "The Google Cloud project of the cluster; its Workload Identity pool is <project_id>.svc.id.goog."
}

variable "region" {
  type        = string
  description = "The cluster's region. Autopilot clusters are regional: the control plane and nodes span its zones."
}

variable "name" {
  type        = string
  description = "The cluster's name."
  default     = "coditect"

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$", var.name))
    error_message = "A cluster name is up to 40 lower-case letters, digits and dashes, starting with a letter."
  }
}

variable "network" {
  type        = string
  description = "The VPC network of the cluster (and of the Cloud NAT router when private_nodes is on)."
  default     = "default"
}

variable "subnetwork" {
  type        = string
  description = "The subnetwork of the cluster; null lets GKE pick the network's subnetwork in the region (an auto-mode network's)."
  default     = null
}

variable "release_channel" {
  type        = string
  description = "The GKE release channel: how soon the cluster takes new Kubernetes versions."
  default     = "REGULAR"

  validation {
    condition     = contains(["RAPID", "REGULAR", "STABLE"], var.release_channel)
    error_message = "release_channel is RAPID, REGULAR or STABLE."
  }
}

variable "private_nodes" {
  type        = bool
  description = "Give nodes internal addresses only, with Cloud NAT for outbound traffic. Off by default here; the production example turns it on."
  default     = false
}

variable "authorized_networks" {
  type = list(object({
    cidr_block   = string
    display_name = string
  }))
  description = "CIDR ranges allowed to reach the control plane. Empty leaves it open to any address (still behind Google IAM); the network Terraform runs from must be listed once it is not."
  default     = []

  validation {
    condition     = alltrue([for network in var.authorized_networks : can(cidrhost(network.cidr_block, 0))])
    error_message = "Each authorized network's cidr_block is a CIDR range such as 203.0.113.0/24."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to destroy the cluster (and with it every workspace's pod and volume) from Terraform. Turn off deliberately, apply, then destroy."
  default     = true
}

variable "node_account_id" {
  type        = string
  description = "The id of the nodes' Google service account."
  default     = "coditect-nodes"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.node_account_id))
    error_message = "A service account id is 6 to 30 lower-case letters, digits and dashes, starting with a letter."
  }
}
