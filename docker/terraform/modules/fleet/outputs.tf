output "namespace" {
  description = "The namespace of the fleet and its workspaces, for kubectl and the Secrets created after apply."
  value       = kubernetes_namespace_v1.this.metadata[0].name
}

output "fleet_service_account_name" {
  description = "The fleet's Kubernetes service account."
  value       = kubernetes_service_account_v1.fleet.metadata[0].name
}

output "workspace_service_account_name" {
  description = "The workspace pods' Kubernetes service account."
  value       = kubernetes_service_account_v1.workspace.metadata[0].name
}

output "base_url" {
  description = "Where a workspace opens: <base_url>/<id>/ (FLEET_BASE_URL)."
  value       = local.base_url
}
